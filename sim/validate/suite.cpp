#include "sim/validate/suite.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "sim/config/loader.h"
#include "sim/engine/child_process.h"
#include "sim/validate/case_kind.h"

namespace strata::validate {
namespace fs = std::filesystem;
using config::ConfigError;
using config::Node;
using config::Schema;

namespace {

/// One case as written in a file; `published` stays a tree until the metric's unit is known.
struct CaseSpec {
  std::string name, kind, metric, source, known_outside, calibrates;
  Node params, published;
  double tolerance = 0;
  Check check = Check::within;
  static const Schema<CaseSpec>& schema() {
    static const Schema<CaseSpec> s = [] {
      Schema<CaseSpec> s("case", "One validation case");
      s.text("name", &CaseSpec::name, "Unique case name");
      s.text("kind", &CaseSpec::kind, "Experiment kind (see `strata validate --kinds`)");
      s.raw("params", &CaseSpec::params, "Parameters of the kind").def("{}");
      s.text("metric", &CaseSpec::metric, "Which of the kind's metrics is compared");
      s.raw("published", &CaseSpec::published, "Published value, with units");
      s.text("source", &CaseSpec::source, "Where the published value comes from");
      s.number("tolerance", &CaseSpec::tolerance, "Allowed relative error (0.15 or 15%)")
          .min(0).max(10);
      s.choice("check", &CaseSpec::check,
               {{"within", Check::within}, {"at_most", Check::at_most}, {"at_least", Check::at_least}},
               "within: |error| <= tolerance; at_most / at_least: a one-sided bound")
          .def("within");
      s.text("known_outside", &CaseSpec::known_outside,
             "A finding: why the model misses this figure (the case then reports but does not fail)")
          .def("\"\"");
      s.text("calibrates", &CaseSpec::calibrates,
             "The constant this case set: the row is shown as a calibration, not a check")
          .def("\"\"");
      return s;
    }();
    return s;
  }
};

struct CaseFile {
  std::string area, notes;
  Node common_params;
  std::vector<CaseSpec> cases;
  static const Schema<CaseFile>& schema() {
    static const Schema<CaseFile> s = [] {
      Schema<CaseFile> s("validation file", "tests/validation/*.yaml");
      s.text("area", &CaseFile::area, "Area the cases validate, a heading in docs/validation.md");
      s.text("notes", &CaseFile::notes, "Calibration constants used and the cases they were set on")
          .def("\"\"");
      s.raw("common_params", &CaseFile::common_params,
            "Parameters every case starts from; a case's own params override them").def("{}");
      s.list("cases", &CaseFile::cases, "The cases");
      return s;
    }();
    return s;
  }
};

const CaseKind* find_kind(const std::string& name) {
  for (const CaseKind& k : case_kinds())
    if (k.name == name) return &k;
  return nullptr;
}

bool matches(const Case& c, const std::string& filter) {
  return filter.empty() || c.name.find(filter) != std::string::npos ||
         c.kind.find(filter) != std::string::npos || c.area.find(filter) != std::string::npos;
}

constexpr const char* kSkipped = "skipped: ";  // the child's answer when its input is absent

/// Runs one case in a forked child; metrics come back as "name value" lines. Cases of one kind
/// with the same parameters (several metrics of one experiment) share one run.
Outcome run_case(const Case& c) {
  Outcome o;
  o.c = c;
  static std::map<std::string, std::string> reported;  // kind and parameters -> the child's answer
  const std::string key = c.kind + "\n" + config::to_yaml(c.params);
  std::string text;
  try {
    auto known = reported.find(key);
    text = known != reported.end() ? known->second : reported[key] = sim::run_in_child([&c] {
      std::string out;
      char buf[128];
      try {
        for (const auto& [name, value] : find_kind(c.kind)->run(c.params, c.params_path)) {
          std::snprintf(buf, sizeof buf, " %.17g\n", value);
          out += name + buf;
        }
      } catch (const Unavailable& e) {
        return std::string(kSkipped) + e.what();
      }
      return out;
    });
  } catch (const sim::ChildFailure& e) {
    o.failure = e.what();
    return o;
  }
  if (text.rfind(kSkipped, 0) == 0) {
    o.skipped = text.substr(std::string(kSkipped).size());
    return o;
  }
  std::istringstream in(text);
  std::string name;
  double value;
  bool found = false;
  while (in >> name >> value)
    if (name == c.metric) o.predicted = value, found = true;
  if (!found) {
    o.failure = "the kind did not report metric '" + c.metric + "'";
    return o;
  }
  o.error = (o.predicted - c.published) / c.published;
  switch (c.check) {
    case Check::within: o.ok = std::fabs(o.error) <= c.tolerance; break;
    case Check::at_most: o.ok = o.error <= c.tolerance; break;
    case Check::at_least: o.ok = o.error >= -c.tolerance; break;
  }
  return o;
}

config::Dim metric_dim(const Case& c) {
  for (const MetricDef& m : find_kind(c.kind)->metrics)
    if (m.name == c.metric) return m.dim;
  return config::Dim::none;
}

std::string check_text(const Case& c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%.3g%%", c.check == Check::within ? "±" : c.check == Check::at_most ? "<= +" : ">= -",
                c.tolerance * 100);
  return buf;
}

std::string status(const Outcome& o) {
  if (!o.skipped.empty()) return "SKIPPED";
  if (!o.failure.empty()) return "ERROR";
  if (o.ok) return o.c.calibrates.empty() ? "OK" : "CAL";
  return o.c.known_outside.empty() ? "OUTSIDE" : "OUTSIDE (known)";
}

std::string percent(double e) {
  char buf[32];
  double p = std::fabs(e) < 0.0005 ? 0.0 : e * 100;  // no "-0.0%"
  std::snprintf(buf, sizeof buf, "%+.1f%%", p);
  return buf;
}

}  // namespace

Suite load_suite(const std::string& dir) {
  Suite s;
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  if (ec) throw std::runtime_error("cannot read validation cases in '" + dir + "': " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<std::string> names;
  for (const std::string& f : files) {
    Node tree = config::load_tree(f);
    CaseFile cf = CaseFile::schema().bind(tree);
    if (!cf.notes.empty()) s.notes.push_back({cf.area, cf.notes});
    const Node* list = tree.find("cases");
    for (size_t i = 0; i < cf.cases.size(); ++i) {
      const CaseSpec& spec = cf.cases[i];
      const Node& item = list->items[i];
      std::string path = "cases." + std::to_string(i);
      if (std::find(names.begin(), names.end(), spec.name) != names.end())
        throw ConfigError(item.find("name")->origin, path + ".name",
                          "'" + spec.name + "' is already the name of another case");
      names.push_back(spec.name);
      const CaseKind* kind = find_kind(spec.kind);
      if (!kind) {
        std::vector<std::string> all;
        for (const CaseKind& k : case_kinds()) all.push_back(k.name);
        std::string msg = "unknown kind '" + spec.kind + "'";
        if (auto g = config::did_you_mean(spec.kind, all)) msg += "; did you mean '" + *g + "'?";
        throw ConfigError(item.find("kind")->origin, path + ".kind", msg);
      }
      Case c;
      c.file = f;
      c.area = cf.area;
      c.name = spec.name;
      c.kind = spec.kind;
      c.params = cf.common_params;
      config::merge_into(c.params, spec.params);
      c.params_path = path + ".params";
      c.metric = spec.metric;
      c.source = spec.source;
      c.tolerance = spec.tolerance;
      c.check = spec.check;
      c.known_outside = spec.known_outside;
      c.calibrates = spec.calibrates;
      const MetricDef* metric = nullptr;
      for (const MetricDef& m : kind->metrics)
        if (m.name == spec.metric) metric = &m;
      if (!metric) {
        std::vector<std::string> all;
        for (const MetricDef& m : kind->metrics) all.push_back(m.name);
        std::string msg = "kind '" + spec.kind + "' has no metric '" + spec.metric + "'";
        if (auto g = config::did_you_mean(spec.metric, all)) msg += "; did you mean '" + *g + "'?";
        throw ConfigError(item.find("metric")->origin, path + ".metric", msg);
      }
      c.published = config::read_quantity(spec.published, metric->dim, path + ".published");
      c.published_text = spec.published.scalar;
      if (c.published == 0)
        throw ConfigError(spec.published.origin, path + ".published", "must not be zero (errors are relative)");
      kind->check(c.params, c.params_path);
      s.cases.push_back(std::move(c));
    }
  }
  return s;
}

std::vector<Outcome> run_suite(const Suite& s, const std::string& filter) {
  std::vector<Outcome> out;
  for (const Case& c : s.cases)
    if (matches(c, filter)) out.push_back(run_case(c));
  return out;
}

std::string format_table(const std::vector<Outcome>& outcomes) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-34s %-34s %14s %14s %8s %10s  %s\n", "case", "metric", "predicted",
                "published", "error", "tolerance", "status");
  out << line;
  for (const Outcome& o : outcomes) {
    config::Dim d = metric_dim(o.c);
    const bool ran = o.failure.empty() && o.skipped.empty();
    std::string pred = ran ? config::format_display(o.predicted, d) : "-";
    std::snprintf(line, sizeof line, "%-34s %-34s %14s %14s %8s %10s  %s\n", o.c.name.c_str(),
                  o.c.metric.c_str(), pred.c_str(), config::format_display(o.c.published, d).c_str(),
                  ran ? percent(o.error).c_str() : "-", check_text(o.c).c_str(), status(o).c_str());
    out << line;
    if (!o.failure.empty()) out << "    error: " << o.failure << "\n";
    if (!o.skipped.empty()) out << "    skipped: " << o.skipped << "\n";
  }
  return out.str();
}

results::Result to_result(const std::vector<Outcome>& outcomes) {
  results::Result r;
  r.title = "strata validation suite";
  r.provenance.scenario = "validate";
  std::vector<std::string> area, name, kind, metric, unit, st, source, cause;
  std::vector<double> pred, pub, err, tol;
  int ok = 0, outside = 0, errors = 0, skipped = 0;
  for (const Outcome& o : outcomes) {
    area.push_back(o.c.area), name.push_back(o.c.name), kind.push_back(o.c.kind);
    metric.push_back(o.c.metric);
    config::Dim d = metric_dim(o.c);
    unit.push_back(config::base_unit(d));
    const bool ran = o.failure.empty() && o.skipped.empty();
    pred.push_back(ran ? o.predicted : NAN);
    pub.push_back(o.c.published);
    err.push_back(ran ? o.error : NAN);
    tol.push_back(o.c.tolerance);
    st.push_back(status(o));
    source.push_back(o.c.source);
    cause.push_back(!o.skipped.empty() ? o.skipped : o.failure.empty() ? o.c.known_outside : o.failure);
    if (!o.skipped.empty()) ++skipped;
    else if (!o.failure.empty()) ++errors;
    else if (o.ok) ++ok;
    else ++outside;
  }
  r.summary = {{"cases", double(outcomes.size()), "1", "Cases run"},
               {"ok", double(ok), "1", "Cases within tolerance"},
               {"outside", double(outside), "1", "Cases outside tolerance (known findings included)"},
               {"errors", double(errors), "1", "Cases that could not run"},
               {"skipped", double(skipped), "1", "Cases whose input is absent here (not run, not failed)"}};
  results::Table t{"validation", "One row per case: prediction against a published figure", {}};
  t.columns = {{"area", "", "Area", area},
               {"case", "", "Case name", name},
               {"kind", "", "Experiment kind", kind},
               {"metric", "", "Metric compared", metric},
               {"unit", "", "Unit of predicted and published (SI base)", unit},
               {"predicted", "", "strata's prediction, in `unit`", pred},
               {"published", "", "Published figure, in `unit`", pub},
               {"error", "1", "(predicted - published) / published", err},
               {"tolerance", "1", "Allowed relative error", tol},
               {"status", "", "OK, CAL (set a calibration constant), OUTSIDE, OUTSIDE (known), SKIPPED or ERROR", st},
               {"source", "", "Source of the published figure", source},
               {"cause", "", "Known cause of a miss, or why the case failed or was skipped", cause}};
  r.tables = {std::move(t)};
  return r;
}

std::string validation_markdown(const Suite& s, const std::vector<Outcome>& outcomes) {
  std::ostringstream out;
  out << "# Validation\n\n"
      << "Generated by `strata validate --docs docs/validation.md` (`make validate`) from the cases "
         "in `tests/validation/`; `make test` fails when this file is stale or a case falls "
         "outside its tolerance. Each row is a strata prediction against a published figure. "
         "OUTSIDE (known) marks a finding: the model misses the figure for the stated cause, "
         "which stays visible here rather than being tuned away. CAL marks a case that set a "
         "calibration constant (named under the table): it agrees by construction and is not "
         "an independent check.\n";
  std::vector<std::string> areas;
  for (const Outcome& o : outcomes)
    if (std::find(areas.begin(), areas.end(), o.c.area) == areas.end()) areas.push_back(o.c.area);
  for (const std::string& area : areas) {
    out << "\n## " << area << "\n\n"
        << "| case | metric | predicted | published | error | tolerance | status | source |\n"
        << "|---|---|---|---|---|---|---|---|\n";
    for (const Outcome& o : outcomes) {
      if (o.c.area != area) continue;
      config::Dim d = metric_dim(o.c);
      const bool ran = o.failure.empty() && o.skipped.empty();
      out << "| " << o.c.name << " | " << o.c.metric << " | "
          << (ran ? config::format_display(o.predicted, d) : "-") << " | "
          << config::format_display(o.c.published, d) << " | "
          << (ran ? percent(o.error) : "-") << " | " << check_text(o.c) << " | "
          << status(o) << " | " << o.c.source << " |\n";
    }
    for (const Outcome& o : outcomes)
      if (o.c.area == area && !o.skipped.empty()) out << "\n*" << o.c.name << "*: skipped: " << o.skipped << "\n";
    for (const Outcome& o : outcomes)
      if (o.c.area == area && !o.ok && o.skipped.empty() && !o.c.known_outside.empty())
        out << "\n*" << o.c.name << "*: " << o.c.known_outside << "\n";
    for (const Outcome& o : outcomes)
      if (o.c.area == area && !o.c.calibrates.empty())
        out << "\n*" << o.c.name << "* (calibration): sets " << o.c.calibrates << "\n";
    for (const AreaNotes& n : s.notes)
      if (n.area == area) out << "\n" << n.notes << (n.notes.back() == '\n' ? "" : "\n");
  }
  return out.str();
}

}  // namespace strata::validate
