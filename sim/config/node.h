// A YAML document as a plain tree in which every value remembers its file, line and column,
// so that errors found after merging `base:` files and `-p` overrides still point at the source.
#pragma once

#include <string>
#include <vector>

#include "sim/config/error.h"

namespace strata::config {

struct Entry;

class Node {
 public:
  enum class Kind { null, scalar, map, seq };

  Kind kind = Kind::null;
  Origin origin;
  std::string scalar;          ///< text of a scalar
  bool quoted = false;         ///< scalar was written in quotes (so never a number)
  std::vector<Entry> entries;  ///< mapping entries in file order
  std::vector<Node> items;     ///< sequence items

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_map() const { return kind == Kind::map; }
  bool is_seq() const { return kind == Kind::seq; }

  const Node* find(const std::string& key) const;
  Node* find(const std::string& key);
  /// Key's own position (for "unknown key" errors), or this node's origin.
  Origin key_origin(const std::string& key) const;
  /// Replaces the value of `key`, or appends it.
  void set(const std::string& key, Node value, Origin key_origin);
  bool erase(const std::string& key);

  static Node make_scalar(std::string text, Origin origin = {});
  static Node make_map(Origin origin = {});
  static Node make_seq(Origin origin = {});
};

struct Entry {
  std::string key;
  Origin key_origin;
  Node value;
};

/// Parses YAML text; `file` names it in errors. Duplicate keys, anchors merged with `<<`,
/// and non-scalar keys are errors.
Node parse_yaml(const std::string& text, const std::string& file);

/// Reads and parses a file; a missing or unreadable file is a ConfigError naming `requested_by`.
Node read_yaml_file(const std::string& path, const Origin& requested_by);

/// Deep merge: mappings merge key by key, anything else in `over` replaces what is in `base`.
void merge_into(Node& base, const Node& over);

/// Block-style YAML text of the tree (scalars quoted only when needed).
std::string to_yaml(const Node& n);

/// True when plain text would be read back as something else (a number, a boolean, null) or
/// break YAML syntax, so a text value must be written in quotes.
bool text_needs_quotes(const std::string& s);

/// Human description of a node's kind for messages: "a mapping", "a list", "'abc'".
std::string describe(const Node& n);

}  // namespace strata::config
