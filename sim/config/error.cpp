#include "sim/config/error.h"

namespace strata::config {

std::string Origin::str() const {
  if (from_command_line) return "command line -p '" + file + "'";
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

namespace {
std::string compose(const Origin& o, const std::string& key, const std::string& msg) {
  std::string s = o.str() + ": error: ";
  if (!key.empty()) s += key + ": ";
  return s + msg;
}
}  // namespace

ConfigError::ConfigError(Origin origin, std::string key_path, std::string message)
    : std::runtime_error(compose(origin, key_path, message)),
      origin_(std::move(origin)),
      key_path_(std::move(key_path)),
      message_(std::move(message)) {}

}  // namespace strata::config
