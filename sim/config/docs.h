// docs/parameters.md is generated from the schema declarations, so it cannot drift from the code.
#pragma once

#include <string>
#include <vector>

#include "sim/config/schema.h"

namespace strata::config {

/// One documented config root: a title, a sentence on where it is used, and its schema.
struct DocRoot {
  std::string title;
  std::string intro;
  const SchemaBase* schema;
};

/// Markdown with one table per root: key path, type, default, allowed values, description.
std::string parameters_markdown(const std::vector<DocRoot>& roots);

}  // namespace strata::config
