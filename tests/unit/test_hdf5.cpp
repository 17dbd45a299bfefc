// HDF5 results: round trip of every dataset kind, atomic writes under SIGKILL, determinism,
// and clear errors for files that are not (complete) strata results.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "sim/results/hdf5_io.h"
#include "tests/unit/test_support.h"

using namespace strata::results;
namespace fs = std::filesystem;

namespace {

Result sample() {
  Result r;
  r.title = "a title";
  r.config_yaml = "version: 1\nname: \"x: y\"\n";
  r.provenance = {"0.1.0", "v0.1.0-1-gabc", 42, "demo", "analytical", "roofline", "analytic"};
  r.summary = {{"step_time", 0.046, "s", "Step"}, {"memory_fits", 0.0, "1", "Fits"}};
  Table t{"ops", "ops table", {}};
  t.columns = {{"name", "", "names", std::vector<std::string>{"L0.a", "L0.b", "µ-unicode"}},
               {"device", "1", "rank", std::vector<int64_t>{0, 1, -1}},
               {"start", "s", "start", std::vector<double>{0.0, 1.5e-6, 2.25}}};
  Table empty{"links", "no rows", {}};
  empty.columns = {{"name", "", "n", std::vector<std::string>{}}, {"bytes", "B", "b", std::vector<double>{}}};
  Table big{"big", "many rows, chunked", {}};
  std::vector<double> v(200000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = double(i) * 0.5;
  big.columns = {{"x", "s", "x", v}};
  // Tables in a folder group (/network/bom, /network/more): read back under the same names.
  Table nested{"network/bom", "a table in a folder", {}};
  nested.columns = {{"count", "1", "items", std::vector<int64_t>{3, 4}}};
  Table nested2{"network/more", "a second one there", {}};
  nested2.columns = {{"x", "W", "x", std::vector<double>{1.5}}};
  r.tables = {t, empty, big, nested, nested2};
  return r;
}

class Hdf5Test : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return dir_.file(name); }
  strata::testing::ScratchDir dir_{"strata_h5_"};
};

std::string bytes_of(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_F(Hdf5Test, RoundTripsEveryDataset) {
  Result a = sample();
  write_hdf5(a, path("r.h5"));
  Result b = read_hdf5(path("r.h5"));
  EXPECT_EQ(b.title, a.title);
  EXPECT_EQ(b.config_yaml, a.config_yaml);
  EXPECT_EQ(b.provenance.seed, 42);
  EXPECT_EQ(b.provenance.git_describe, a.provenance.git_describe);
  EXPECT_EQ(b.provenance.network_model, "analytic");
  ASSERT_EQ(b.summary.size(), a.summary.size());
  for (size_t i = 0; i < a.summary.size(); ++i) {
    EXPECT_EQ(b.summary[i].name, a.summary[i].name);
    EXPECT_EQ(b.summary[i].value, a.summary[i].value);
    EXPECT_EQ(b.summary[i].unit, a.summary[i].unit);
    EXPECT_EQ(b.summary[i].description, a.summary[i].description);
  }
  ASSERT_EQ(b.tables.size(), a.tables.size());
  for (size_t t = 0; t < a.tables.size(); ++t) {
    EXPECT_EQ(b.tables[t].name, a.tables[t].name);
    EXPECT_EQ(b.tables[t].description, a.tables[t].description);
    ASSERT_EQ(b.tables[t].columns.size(), a.tables[t].columns.size());
    for (size_t c = 0; c < a.tables[t].columns.size(); ++c) {
      const Column& x = a.tables[t].columns[c];
      const Column& y = b.tables[t].columns[c];
      EXPECT_EQ(y.name, x.name);  // creation order is kept
      EXPECT_EQ(y.unit, x.unit);
      EXPECT_EQ(y.description, x.description);
      EXPECT_EQ(y.data, x.data) << a.tables[t].name << "/" << x.name;
    }
  }
}

TEST_F(Hdf5Test, EqualResultsGiveByteIdenticalFiles) {
  write_hdf5(sample(), path("a.h5"));
  // HDF5 object headers hold second-resolution timestamps unless disabled: cross a second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write_hdf5(sample(), path("b.h5"));
  EXPECT_EQ(bytes_of(path("a.h5")), bytes_of(path("b.h5")));
}

TEST_F(Hdf5Test, KilledWriterLeavesNoFileAtTheDestination) {
  for (const char* stage : {"provenance", "summary", "ops", "big"}) {
    SCOPED_TRACE(stage);
    std::string dest = path("killed.h5");
    fs::remove(dest);
    std::string s = stage;
    int sig = strata::testing::die_in_child([&] {
      write_hdf5(sample(), dest, [&](const std::string& g) {
        if (g == s) raise(SIGKILL);
      });
    });
    EXPECT_EQ(sig, SIGKILL);
    EXPECT_FALSE(fs::exists(dest));
  }
}

TEST_F(Hdf5Test, KilledRewriteKeepsThePreviousFileIntact) {
  std::string dest = path("keep.h5");
  write_hdf5(sample(), dest);
  std::string before = bytes_of(dest);
  int sig = strata::testing::die_in_child([&] {
    Result other = sample();
    other.title = "second";
    write_hdf5(other, dest, [](const std::string& g) {
      if (g == "ops") raise(SIGKILL);
    });
  });
  ASSERT_EQ(sig, SIGKILL);
  EXPECT_EQ(bytes_of(dest), before);
  EXPECT_EQ(read_hdf5(dest).title, "a title");
}

TEST_F(Hdf5Test, SigtermRemovesTheTemporaryFile) {
  std::string dest = path("term.h5");
  int sig = strata::testing::die_in_child([&] {
    write_hdf5(sample(), dest, [](const std::string& g) {
      if (g == "summary") raise(SIGTERM);
    });
  });
  EXPECT_EQ(sig, SIGTERM);
  EXPECT_TRUE(fs::is_empty(dir_.path())) << "a temporary file was left behind";
}

TEST_F(Hdf5Test, ReaderRejectsBrokenFilesClearly) {
  write_hdf5(sample(), path("good.h5"));
  std::string good = bytes_of(path("good.h5"));
  std::ofstream(path("half.h5"), std::ios::binary) << good.substr(0, good.size() / 2);
  std::ofstream(path("text.h5")) << "not hdf5\n";
  for (const char* name : {"half.h5", "text.h5", "missing.h5"}) {
    try {
      read_hdf5(path(name));
      ADD_FAILURE() << name << " was read";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(path(name)), std::string::npos) << e.what();
    }
  }
}

TEST_F(Hdf5Test, MissingDirectoryIsAClearError) {
  try {
    write_hdf5(sample(), path("no/such/dir/r.h5"));
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
}
