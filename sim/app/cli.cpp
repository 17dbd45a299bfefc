#include "sim/app/cli.h"

#include <iostream>
#include <sstream>

#include "sim/config/error.h"
#include "sim/config/schema.h"
#include "sim/engine/run.h"

namespace strata::app {
namespace {

std::string option_text(const OptionSpec& o) {
  std::string s = o.short_name.empty() ? "    " : o.short_name + ", ";
  s += o.name;
  if (!o.value.empty()) s += " " + o.value;
  return s;
}

std::string command_usage(const Command& c) {
  std::ostringstream out;
  out << "usage: strata " << c.name;
  if (!c.positional.empty()) out << (c.positional_optional ? " [" + c.positional + "]" : " " + c.positional);
  if (!c.options.empty()) out << " [options]";
  out << "\n\n" << c.help << "\n";
  if (!c.options.empty()) {
    out << "\noptions:\n";
    for (const OptionSpec& o : c.options) {
      std::string t = option_text(o);
      out << "  " << t << std::string(t.size() < 30 ? 30 - t.size() : 1, ' ') << o.help << "\n";
    }
  }
  return out.str();
}

std::string general_usage() {
  std::ostringstream out;
  out << "usage: strata <command> [options]     (strata <command> --help for its options)\n\ncommands:\n";
  for (const Command& c : commands()) {
    std::string head = c.name + (c.positional.empty() ? "" : " " + c.positional);
    out << "  " << head << "\n";
    std::istringstream help(c.help);
    for (std::string line; std::getline(help, line);) out << "        " << line << "\n";
  }
  out << "\n  --help, --version\n\nexit codes: 0 success, 1 the simulation failed, 2 bad input (usage or config)\n";
  return out.str();
}

Args parse(const Command& c, const std::vector<std::string>& args) {
  Args a;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& s = args[i];
    if (s.size() > 1 && s[0] == '-') {
      std::string name = s, inline_value;
      bool has_inline = false;
      if (size_t eq = s.find('='); s.rfind("--", 0) == 0 && eq != std::string::npos) {
        name = s.substr(0, eq), inline_value = s.substr(eq + 1), has_inline = true;
      }
      const OptionSpec* spec = nullptr;
      for (const OptionSpec& o : c.options)
        if (o.name == name || (!o.short_name.empty() && o.short_name == name)) spec = &o;
      if (!spec) throw UsageError("unknown option '" + s + "'");
      if (spec->value.empty()) {
        a.values[spec->name].push_back("");
      } else if (has_inline) {
        a.values[spec->name].push_back(inline_value);
      } else {
        if (i + 1 >= args.size()) throw UsageError(name + " needs a value");
        a.values[spec->name].push_back(args[++i]);
      }
    } else {
      a.positional.push_back(s);
    }
  }
  // `positional` names one argument per word ("TRACE.json RESULT.h5" takes two).
  size_t wanted = 0;
  std::istringstream words(c.positional);
  for (std::string w; words >> w;) ++wanted;
  if (a.positional.size() > wanted) throw UsageError("unexpected argument '" + a.positional.back() + "'");
  if (wanted > 0 && !c.positional_optional && a.positional.size() < wanted)
    throw UsageError(c.name + " needs " + (wanted > 1 ? c.positional : "a " + c.positional));
  return a;
}

}  // namespace

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

OptionSpec param_option() {
  return {"--param", "-p", "key.path=value",
          "override one key after bases are merged, e.g. -p hardware.chip.clock='1600 MHz'"};
}
OptionSpec output_option(const std::string& what) { return {"--output", "-o", "OUT", what}; }
OptionSpec quiet_option() { return {"--quiet", "-q", "", "print nothing on success"}; }

int main_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Command* cmd = nullptr;
  try {
    if (args.empty()) throw UsageError("no command given");
    const std::string& first = args[0];
    if (first == "-h" || first == "--help" || first == "help") {
      out << general_usage();
      return kExitOk;
    }
    if (first == "--version") {
      out << "strata " << sim::strata_version() << " (" << sim::strata_git_describe() << ")\n";
      return kExitOk;
    }
    std::vector<std::string> names;
    for (const Command& c : commands()) {
      names.push_back(c.name);
      if (c.name == first) cmd = &c;
    }
    if (!cmd) {
      std::string msg = first[0] == '-' ? "unknown option '" + first + "'" : "unknown command '" + first + "'";
      if (auto g = config::did_you_mean(first, names)) msg += "; did you mean '" + *g + "'?";
      throw UsageError(msg);
    }
    for (size_t i = 1; i < args.size(); ++i)
      if (args[i] == "-h" || args[i] == "--help") {
        out << command_usage(*cmd);
        return kExitOk;
      }
    return cmd->run(parse(*cmd, args), out, err);
  } catch (const UsageError& e) {
    err << "strata: " << e.what() << "\n\n" << (cmd ? command_usage(*cmd) : general_usage());
    return kExitBadInput;
  } catch (const config::ConfigError& e) {
    err << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::invalid_argument& e) {
    err << "strata: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    err << "strata: failed: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace strata::app
