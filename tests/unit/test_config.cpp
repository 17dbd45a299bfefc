// Config system: inheritance, overrides, binding, and the exact message for each bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/config/docs.h"
#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/engine/parameters_reference.h"
#include "sim/plan/plan_spec.h"
#include "sim/engine/scenario.h"
#include "tests/unit/test_support.h"

using namespace strata::config;
namespace fs = std::filesystem;

namespace {

struct Inner {
  double clock_hz = 0;
  int cores = 0;
  static const Schema<Inner>& schema() {
    static const Schema<Inner> s = [] {
      Schema<Inner> s("inner", "test");
      s.quantity("clock", &Inner::clock_hz, Dim::frequency, "Clock").range("1 MHz", "10 GHz");
      s.integer("cores", &Inner::cores, "Cores").def("4").min(1).max(1024);
      return s;
    }();
    return s;
  }
};

enum class Color { red, green };

struct Outer {
  std::string name;
  Inner inner;
  Color color = Color::red;
  bool fast = false;
  std::vector<Inner> parts;
  static const Schema<Outer>& schema() {
    static const Schema<Outer> s = [] {
      Schema<Outer> s("outer", "test");
      s.text("name", &Outer::name, "Name");
      s.child("inner", &Outer::inner, "Inner block");
      s.choice("color", &Outer::color, {{"red", Color::red}, {"green", Color::green}}, "Color").def("red");
      s.boolean("fast", &Outer::fast, "Fast").def("false");
      s.list("parts", &Outer::parts, "Parts").def("[]");
      return s;
    }();
    return s;
  }
};

class ConfigTest : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  /// The message a bad file gets, with the temp directory replaced by "DIR".
  std::string error_of(const std::string& path, const std::vector<std::string>& overrides = {}) {
    try {
      Outer o = Outer::schema().bind(load_tree(path, overrides));
      ADD_FAILURE() << "no error for " << path;
    } catch (const ConfigError& e) {
      std::string s = e.what();
      for (size_t at; (at = s.find(dir_.string())) != std::string::npos;) s.replace(at, dir_.string().size(), "DIR");
      return s;
    }
    return "";
  }
  Outer load(const std::string& path, const std::vector<std::string>& overrides = {}) {
    return Outer::schema().bind(load_tree(path, overrides));
  }
  strata::testing::ScratchDir scratch_{"strata_cfg_"};
  fs::path dir_ = scratch_.path();
};

}  // namespace

TEST_F(ConfigTest, BindsValuesAndDefaults) {
  Outer o = load(write("a.yaml", "version: 1\nname: x\ninner:\n  clock: 1830 MHz\n"));
  EXPECT_EQ(o.name, "x");
  EXPECT_DOUBLE_EQ(o.inner.clock_hz, 1.83e9);
  EXPECT_EQ(o.inner.cores, 4);  // default
  EXPECT_EQ(o.color, Color::red);
  EXPECT_FALSE(o.fast);
}

TEST_F(ConfigTest, BaseInheritanceAtTopAndNestedLevels) {
  write("presets/chip.yaml", "version: 1\nclock: 1 GHz\ncores: 8\n");
  write("base.yaml", "version: 1\nname: base\ncolor: green\ninner:\n  base: presets/chip.yaml\n");
  Outer o = load(write("child.yaml", "version: 1\nbase: base.yaml\nname: child\ninner:\n  cores: 16\n"));
  EXPECT_EQ(o.name, "child");         // overridden
  EXPECT_EQ(o.color, Color::green);   // inherited
  EXPECT_DOUBLE_EQ(o.inner.clock_hz, 1e9);  // from the nested base, relative to base.yaml
  EXPECT_EQ(o.inner.cores, 16);       // child wins over nested base
}

TEST_F(ConfigTest, CommandLineOverrides) {
  std::string p = write("a.yaml", "version: 1\nname: x\ninner:\n  clock: 1 GHz\nparts:\n  - clock: 2 GHz\n");
  Outer o = load(p, {"inner.clock=1600 MHz", "fast=true", "parts.0.cores=2", "name=y"});
  EXPECT_DOUBLE_EQ(o.inner.clock_hz, 1.6e9);
  EXPECT_TRUE(o.fast);
  ASSERT_EQ(o.parts.size(), 1u);
  EXPECT_EQ(o.parts[0].cores, 2);
  EXPECT_EQ(o.name, "y");
}

TEST_F(ConfigTest, UnknownKeySuggestsTheNearest) {
  EXPECT_EQ(error_of(write("a.yaml", "version: 1\nname: x\ninner:\n  clok: 1 GHz\n")),
            "DIR/a.yaml:4:3: error: inner.clok: unknown key; did you mean 'clock'? "
            "(allowed here: clock, cores)");
}

TEST_F(ConfigTest, UnknownOverrideKeyNamesTheCommandLine) {
  EXPECT_EQ(error_of(write("a.yaml", "version: 1\nname: x\ninner:\n  clock: 1 GHz\n"), {"inner.coers=3"}),
            "command line -p 'inner.coers=3': error: inner.coers: unknown key; did you mean "
            "'cores'? (allowed here: clock, cores)");
}

TEST_F(ConfigTest, WrongTypes) {
  EXPECT_EQ(error_of(write("a.yaml", "version: 1\nname: x\ninner:\n  clock: 1 GHz\n  cores: eight\n")),
            "DIR/a.yaml:5:10: error: inner.cores: expected an integer, got 'eight'");
  EXPECT_EQ(error_of(write("b.yaml", "version: 1\nname: x\ninner:\n  clock: 1 GHz\n  cores: 2.5\n")),
            "DIR/b.yaml:5:10: error: inner.cores: expected an integer, got '2.5'");
  EXPECT_EQ(error_of(write("c.yaml", "version: 1\nname: x\ninner: 3\n")),
            "DIR/c.yaml:3:8: error: inner: expected a mapping with keys (clock, cores), got '3'");
  EXPECT_EQ(error_of(write("d.yaml", "version: 1\nname: [a, b]\ninner:\n  clock: 1 GHz\n")),
            "DIR/d.yaml:2:7: error: name: expected a single value, got a list");
  EXPECT_EQ(error_of(write("e.yaml", "version: 1\nname: x\nfast: yes\ninner:\n  clock: 1 GHz\n")),
            "DIR/e.yaml:3:7: error: fast: expected true or false, got 'yes'");
}

TEST_F(ConfigTest, UnitMistake) {
  EXPECT_EQ(error_of(write("a.yaml", "version: 1\nname: x\ninner:\n  clock: 3.35 TB/s\n")),
            "DIR/a.yaml:4:10: error: inner.clock: '3.35 TB/s' is a data rate, but this key takes "
            "a frequency such as 1830 MHz, 1.83 GHz");
}

TEST_F(ConfigTest, OutOfRange) {
  EXPECT_EQ(error_of(write("a.yaml", "version: 1\nname: x\ninner:\n  clock: 1 GHz\n  cores: 0\n")),
            "DIR/a.yaml:5:10: error: inner.cores: '0' is out of range; allowed: 1 .. 1024");
  EXPECT_EQ(error_of(write("b.yaml", "version: 1\nname: x\ninner:\n  clock: 50 GHz\n")),
            "DIR/b.yaml:4:10: error: inner.clock: '50 GHz' is out of range; allowed: 1 MHz .. 10 GHz");
}

TEST_F(ConfigTest, BadChoiceSuggests) {
  EXPECT_EQ(error_of(write("a.yaml", "version: 1\nname: x\ncolor: gren\ninner:\n  clock: 1 GHz\n")),
            "DIR/a.yaml:3:8: error: color: 'gren' is not allowed; did you mean 'green'? (allowed: red, green)");
}

TEST_F(ConfigTest, MissingRequiredKey) {
  EXPECT_EQ(error_of(write("a.yaml", "version: 1\nname: x\ninner:\n  cores: 2\n")),
            "DIR/a.yaml:4:3: error: inner.clock: missing required key (frequency: Clock)");
}

TEST_F(ConfigTest, MissingFiles) {
  EXPECT_EQ(error_of((dir_ / "nope.yaml").string()),
            "DIR/nope.yaml: error: cannot open config file 'DIR/nope.yaml' (no such file or not readable)");
  EXPECT_EQ(error_of(write("a.yaml", "version: 1\nbase: gone.yaml\nname: x\n")),
            "DIR/a.yaml:2:7: error: cannot open config file 'DIR/gone.yaml' (no such file or not readable)");
}

TEST_F(ConfigTest, VersionIsRequiredAndChecked) {
  EXPECT_EQ(error_of(write("a.yaml", "name: x\n")),
            "DIR/a.yaml:1:1: error: version: missing; every config file starts with 'version: 1'");
  EXPECT_EQ(error_of(write("b.yaml", "version: 2\nname: x\n")),
            "DIR/b.yaml:1:10: error: version: this build reads config version 1, not '2'");
  write("base.yaml", "name: x\n");
  EXPECT_EQ(error_of(write("c.yaml", "version: 1\nbase: base.yaml\n")),
            "DIR/base.yaml:1:1: error: version: missing; every config file starts with 'version: 1'");
}

TEST_F(ConfigTest, MalformedYamlAndDuplicates) {
  EXPECT_EQ(error_of(write("a.yaml", "version: 1\nname: [x, y\ninner: 3\n")),
            "DIR/a.yaml:3:6: error: malformed YAML: end of sequence flow not found");
  EXPECT_EQ(error_of(write("b.yaml", "version: 1\nname: x\nname: y\n")),
            "DIR/b.yaml:3:1: error: name: duplicate key; each key may appear once in a mapping");
}

TEST_F(ConfigTest, InheritanceCycle) {
  write("a.yaml", "version: 1\nbase: b.yaml\n");
  write("b.yaml", "version: 1\nbase: a.yaml\n");
  std::string e = error_of((dir_ / "a.yaml").string());
  EXPECT_NE(e.find("DIR/b.yaml:2:7: error: base: inheritance cycle: "), std::string::npos) << e;
}

TEST_F(ConfigTest, BadOverrideSyntax) {
  std::string p = write("a.yaml", "version: 1\nname: x\ninner:\n  clock: 1 GHz\n");
  EXPECT_EQ(error_of(p, {"inner.clock"}),
            "command line -p 'inner.clock': error: an override is written key.path=value, e.g. "
            "-p hardware.chip.clock='1600 MHz'");
  EXPECT_EQ(error_of(p, {"name.sub=1"}),
            "command line -p 'name.sub=1': error: name: is 'x', not a mapping, so it has no key 'sub'");
}

TEST_F(ConfigTest, ResolvedYamlRoundTrips) {
  // Dumping the bound struct and loading that text gives the same struct.
  Outer a = load(write("a.yaml", "version: 1\nname: 'x: y'\ninner:\n  clock: 1.83 GHz\nparts:\n  - clock: 2 GHz\n    cores: 3\n"));
  std::string text = "version: 1\n" + to_yaml(Outer::schema().dump(a));
  Outer b = load(write("b.yaml", text));
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.inner.clock_hz, b.inner.clock_hz);
  ASSERT_EQ(b.parts.size(), 1u);
  EXPECT_EQ(b.parts[0].cores, 3);
}

TEST(DidYouMean, FindsCloseNamesOnly) {
  EXPECT_EQ(did_you_mean("clok", {"clock", "cores"}).value_or(""), "clock");
  EXPECT_EQ(did_you_mean("batch", {"batch_per_gpu", "kv_len"}).value_or(""), "batch_per_gpu");
  EXPECT_FALSE(did_you_mean("zzzzzz", {"clock", "cores"}).has_value());
}

TEST(ScenarioConfig, DemoLoadsAndChecksParallelism) {
  auto sc = strata::sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/demo.yaml", {});
  EXPECT_EQ(sc.spec.gpus(), 8);
  EXPECT_EQ(sc.spec.hardware.chip.name, "H800 SXM5");
  EXPECT_EQ(sc.spec.hardware.scale_up.links, 8);
  try {
    strata::sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/demo.yaml", {"parallel.ep=3"});
    FAIL() << "ep=3 accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("command line -p 'parallel.ep=3': error: parallel.ep: 3 must divide the GPU count, 8 (1 node x 8 GPUs)"), std::string::npos)
        << e.what();
  }
}

TEST(ParametersDoc, IsCurrent) {
  // docs/parameters.md must equal what `strata params` prints.
  std::ifstream in(STRATA_SOURCE_DIR "/docs/parameters.md");
  ASSERT_TRUE(in) << "docs/parameters.md is missing; run `make params`";
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string generated = strata::sim::parameters_reference({strata::plan::plan_doc_root()});
  EXPECT_EQ(file, generated) << "docs/parameters.md is stale; run `make params`";
}
