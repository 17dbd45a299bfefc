// Config errors: every message names where (file:line:column), which key, what is wrong and the fix.
#pragma once

#include <stdexcept>
#include <string>

namespace strata::config {

/// Where a config value came from: a file position or a command-line override.
struct Origin {
  std::string file;  ///< path as given, or the override text for values from `-p`
  int line = 0;      ///< 1-based; 0 for command-line values
  int column = 0;    ///< 1-based
  bool from_command_line = false;

  /// "configs/x.yaml:12:5" or "command line -p 'a.b=1'".
  std::string str() const;
};

/// A config problem a user must fix. The CLI prints what() and exits with code 2.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(Origin origin, std::string key_path, std::string message);

  const Origin& origin() const { return origin_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& message() const { return message_; }

 private:
  Origin origin_;
  std::string key_path_;
  std::string message_;
};

}  // namespace strata::config
