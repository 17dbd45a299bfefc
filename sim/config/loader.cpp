#include "sim/config/loader.h"

#include <filesystem>

#include "sim/config/limits.h"

namespace strata::config {
namespace fs = std::filesystem;

namespace {

void check_version(Node& doc, const std::string& path) {
  if (!doc.is_map()) {
    Origin o = doc.origin;
    if (o.file.empty()) o.file = path;
    throw ConfigError(o, "", "a config file must be a mapping of keys, starting with 'version: " +
                                 std::to_string(kConfigVersion) + "'");
  }
  const Node* v = doc.find("version");
  if (!v) {
    Origin o = doc.origin;
    throw ConfigError(o, "version",
                      "missing; every config file starts with 'version: " +
                          std::to_string(kConfigVersion) + "'");
  }
  if (!v->is_scalar() || v->scalar != std::to_string(kConfigVersion))
    throw ConfigError(v->origin, "version",
                      "this build reads config version " + std::to_string(kConfigVersion) +
                          ", not " + describe(*v));
  doc.erase("version");
}

Node load_resolved(const std::string& path, const Origin& requested_by,
                   std::vector<std::string>& chain);

/// Resolves `base:` in `n` and all its children; `chain` holds the files being loaded (for cycles).
void resolve(Node& n, std::vector<std::string>& chain) {
  if (n.is_seq()) {
    for (Node& item : n.items) resolve(item, chain);
    return;
  }
  if (!n.is_map()) return;
  for (Entry& e : n.entries)
    if (e.key != "base") resolve(e.value, chain);
  const Node* b = n.find("base");
  if (!b) return;
  if (!b->is_scalar() || b->scalar.empty())
    throw ConfigError(b->origin, "base", "expected a file path, got " + describe(*b));
  fs::path where = fs::path(b->origin.file).parent_path();
  std::string target = (where / b->scalar).lexically_normal().string();
  Node merged = load_resolved(target, b->origin, chain);
  n.erase("base");
  merge_into(merged, n);
  merged.origin = n.origin;
  n = std::move(merged);
}

Node load_resolved(const std::string& path, const Origin& requested_by,
                   std::vector<std::string>& chain) {
  std::error_code ec;
  std::string canon = fs::weakly_canonical(path, ec).string();
  if (chain.size() >= kMaxBaseChain)
    throw ConfigError(requested_by, "base", "more than " + std::to_string(kMaxBaseChain) +
                                                " files inherit from each other (the limit for base: chains)");
  for (const std::string& c : chain)
    if (c == canon) {
      std::string cycle;
      for (const std::string& x : chain) cycle += x + " -> ";
      throw ConfigError(requested_by, "base", "inheritance cycle: " + cycle + canon);
    }
  Node doc = read_yaml_file(path, requested_by);
  check_version(doc, path);
  chain.push_back(canon);
  resolve(doc, chain);
  chain.pop_back();
  return doc;
}

}  // namespace

Node load_tree(const std::string& path) {
  std::vector<std::string> chain;
  Origin none;
  none.file = path;
  return load_resolved(path, none, chain);
}

void apply_override(Node& root, const std::string& assignment) {
  Origin o;
  o.file = assignment;
  o.from_command_line = true;
  size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(o, "", "an override is written key.path=value, e.g. -p hardware.chip.clock='1600 MHz'");
  std::string path = assignment.substr(0, eq);
  std::string text = assignment.substr(eq + 1);
  Node value;
  try {
    value = parse_yaml(text, assignment);
  } catch (const ConfigError& e) {
    throw ConfigError(o, path, "the value is not valid YAML: " + e.message());
  }
  set_at_path(root, path, std::move(value), o);
}

void set_at_path(Node& root, const std::string& path, Node value, const Origin& o) {
  // Every node of the value points at where it was written.
  std::vector<Node*> stack{&value};
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    n->origin = o;
    for (Entry& e : n->entries) e.key_origin = o, stack.push_back(&e.value);
    for (Node& i : n->items) stack.push_back(&i);
  }

  Node* cur = &root;
  std::string walked;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (key.empty()) throw ConfigError(o, path, "empty component in key path");
    walked += (walked.empty() ? "" : ".") + key;
    bool last = dot == std::string::npos;
    if (cur->is_seq()) {
      size_t idx = 0;
      try {
        idx = std::stoul(key);
      } catch (...) {
        throw ConfigError(o, walked, "this is a list; address an item by its index, e.g. '0'");
      }
      if (idx >= cur->items.size())
        throw ConfigError(o, walked, "index out of range; the list has " +
                                         std::to_string(cur->items.size()) + " items");
      if (last) {
        cur->items[idx] = value;
        return;
      }
      cur = &cur->items[idx];
    } else {
      if (cur->is_null()) *cur = Node::make_map(o);
      if (!cur->is_map()) {
        std::string parent = walked.substr(0, walked.size() - key.size() - (walked.size() > key.size() ? 1 : 0));
        throw ConfigError(o, parent, "is " + describe(*cur) + ", not a mapping, so it has no key '" + key + "'");
      }
      if (last) {
        cur->set(key, value, o);
        return;
      }
      if (!cur->find(key)) cur->set(key, Node::make_map(o), o);
      cur = cur->find(key);
    }
    start = dot + 1;
  }
}

Node load_tree(const std::string& path, const std::vector<std::string>& overrides) {
  Node root = load_tree(path);
  for (const std::string& a : overrides) apply_override(root, a);
  return root;
}

}  // namespace strata::config
