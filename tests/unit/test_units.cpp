#include <gtest/gtest.h>

#include <cmath>

#include "sim/config/units.h"

using namespace strata::config;

namespace {
double parse(const std::string& s, Dim d) {
  Parsed p = parse_quantity(s, d);
  EXPECT_TRUE(p.value.has_value()) << s << ": " << p.error;
  return p.value.value_or(NAN);
}
std::string error_of(const std::string& s, Dim d) {
  Parsed p = parse_quantity(s, d);
  EXPECT_FALSE(p.value.has_value()) << s << " parsed as " << p.value.value_or(0);
  return p.error;
}
}  // namespace

TEST(Units, ParsesTheIssueExamples) {
  EXPECT_DOUBLE_EQ(parse("3.35 TB/s", Dim::data_rate), 3.35e12);
  EXPECT_DOUBLE_EQ(parse("1830 MHz", Dim::frequency), 1.83e9);
  EXPECT_DOUBLE_EQ(parse("700 W", Dim::power), 700.0);
  EXPECT_DOUBLE_EQ(parse("80 GiB", Dim::bytes), 80.0 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(parse("4.5 PFLOP/s", Dim::flop_rate), 4.5e15);
}

TEST(Units, BitsAreDividedByEight) {
  EXPECT_DOUBLE_EQ(parse("400 Gb/s", Dim::data_rate), 50e9);
  EXPECT_DOUBLE_EQ(parse("400 Gbps", Dim::data_rate), 50e9);
  EXPECT_DOUBLE_EQ(parse("16 Gb", Dim::bytes), 2e9);
  EXPECT_DOUBLE_EQ(parse("6.4 Gb/s", Dim::data_rate), 0.8e9);
}

TEST(Units, OtherDimensions) {
  EXPECT_DOUBLE_EQ(parse("989 TFLOPS", Dim::flop_rate), 989e12);
  EXPECT_DOUBLE_EQ(parse("3.33 us", Dim::time), 3.33e-6);
  EXPECT_DOUBLE_EQ(parse("15 ns", Dim::time), 15e-9);
  EXPECT_DOUBLE_EQ(parse("2 min", Dim::time), 120.0);
  EXPECT_DOUBLE_EQ(parse("0.297 pJ/bit", Dim::energy_per_bit), 0.297e-12);
  EXPECT_DOUBLE_EQ(parse("814 mm2", Dim::area), 814e-6);
  EXPECT_DOUBLE_EQ(parse("814 mm^2", Dim::area), 814e-6);
  EXPECT_DOUBLE_EQ(parse("1.2 kW", Dim::power), 1200.0);
  EXPECT_DOUBLE_EQ(parse("3 kWh", Dim::energy), 3000.0 * 3600);
  EXPECT_DOUBLE_EQ(parse("$9346", Dim::money), 9346.0);
  EXPECT_DOUBLE_EQ(parse("$1.5M", Dim::money), 1.5e6);
  EXPECT_DOUBLE_EQ(parse("85%", Dim::none), 0.85);
  EXPECT_DOUBLE_EQ(parse("0.85", Dim::none), 0.85);
  EXPECT_DOUBLE_EQ(parse("50 MB", Dim::bytes), 50e6);
  EXPECT_DOUBLE_EQ(parse("228 KiB", Dim::bytes), 228.0 * 1024);
}

TEST(Units, UnitMistakesAreNamed) {
  EXPECT_EQ(error_of("3.35 TB", Dim::data_rate),
            "'3.35 TB' is a size, but this key takes a data rate such as 3.35 TB/s, 400 Gb/s");
  EXPECT_EQ(error_of("1830 MHz", Dim::power),
            "'1830 MHz' is a frequency, but this key takes a power such as 700 W, 1.2 kW");
  EXPECT_EQ(error_of("3.35", Dim::data_rate),
            "'3.35' has no unit; a data rate needs one, such as 3.35 TB/s, 400 Gb/s");
  EXPECT_EQ(error_of("3 furlongs", Dim::length),
            "'3 furlongs' has an unknown unit 'furlongs'; a length is written such as 300 mm, 0.2 mm");
  EXPECT_EQ(error_of("fast", Dim::frequency),
            "'fast' is not a number with a unit; write a frequency such as 1830 MHz, 1.83 GHz");
  EXPECT_EQ(error_of("5 GHz", Dim::none),
            "'5 GHz' must be a plain number or a percentage (such as 0.85, 85%)");
  EXPECT_EQ(error_of("", Dim::time), "empty value; write a time such as 3.33 us, 15 ns, 2 ms");
}

TEST(Units, PrefixesAreCaseSensitive) {
  // "mW" is milliwatts, "MW" megawatts.
  EXPECT_DOUBLE_EQ(parse("5 mW", Dim::power), 5e-3);
  EXPECT_DOUBLE_EQ(parse("5 MW", Dim::power), 5e6);
  EXPECT_FALSE(parse_quantity("5 mHz", Dim::frequency).value.has_value());
}

TEST(Units, FormatRoundTripsExactly) {
  const std::pair<double, Dim> cases[] = {
      {3.35e12, Dim::data_rate}, {1.83e9, Dim::frequency}, {700, Dim::power},
      {80.0 * (1 << 30), Dim::bytes}, {4.5e15, Dim::flop_rate}, {3.33e-6, Dim::time},
      {0.297e-12, Dim::energy_per_bit}, {814e-6, Dim::area}, {0.1, Dim::none},
      {5.234375e9 / 8, Dim::data_rate}, {1.0 / 3.0, Dim::time}, {123456789.0, Dim::bytes},
      {0.0, Dim::time}, {9346, Dim::money}};
  for (const auto& [v, d] : cases) {
    std::string text = format_quantity(v, d);
    Parsed p = parse_quantity(text, d);
    ASSERT_TRUE(p.value.has_value()) << text << ": " << p.error;
    EXPECT_EQ(*p.value, v) << "format gave '" << text << "'";
  }
}

TEST(Units, FormatPicksReadablePrefixes) {
  EXPECT_EQ(format_quantity(3.35e12, Dim::data_rate), "3.35 TB/s");
  EXPECT_EQ(format_quantity(1.83e9, Dim::frequency), "1.83 GHz");
  EXPECT_EQ(format_quantity(80.0 * (1 << 30), Dim::bytes), "80 GiB");
  EXPECT_EQ(format_quantity(3.33e-6, Dim::time), "3.33 us");
  EXPECT_EQ(format_quantity(814e-6, Dim::area), "814 mm2");
  EXPECT_EQ(format_quantity(700, Dim::power), "700 W");
}
