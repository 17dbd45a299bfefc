// Reading a config file into one resolved tree: `version:` checks, `base:` inheritance at any
// level (paths relative to the file that names them), then `-p key.path=value` overrides.
#pragma once

#include <string>
#include <vector>

#include "sim/config/node.h"

namespace strata::config {

/// The config format version this build reads. Every file says `version: 1`.
constexpr int kConfigVersion = 1;

/// Reads `path`, resolves every `base:` and returns the merged tree (without `version`/`base`).
Node load_tree(const std::string& path);

/// Applies one "key.path=value" override; the value is read as YAML ("64", "1.6 GHz", "[1, 2]").
/// Sequence items are addressed by index ("experts.0.size=2").
void apply_override(Node& root, const std::string& assignment);

/// Sets `value` at dotted `path` (creating mappings on the way); every node of the value takes
/// origin `o`, so later errors point at where the value was written (a -p or a sweep file).
void set_at_path(Node& root, const std::string& path, Node value, const Origin& o);

/// load_tree followed by every override in order.
Node load_tree(const std::string& path, const std::vector<std::string>& overrides);

}  // namespace strata::config
