// HBM presets and their clocked timing against the sources they cite; bad memory descriptions.
#include <gtest/gtest.h>

#include "hw/hardware.h"
#include "models/hbm/clocked_timing.h"
#include "sim/config/loader.h"

using namespace strata;
using hbm::ClockedTiming;

namespace {

hw::MemorySpec hbm_preset(const std::string& name, const std::vector<std::string>& overrides = {}) {
  return hw::MemorySpec::schema().bind(
      config::load_tree(STRATA_SOURCE_DIR "/configs/hbm/" + name + ".yaml", overrides));
}

hw::MemorySpec node_memory(const std::string& name) {
  return hw::HardwareSpec::schema()
      .bind(config::load_tree(STRATA_SOURCE_DIR "/configs/hw/" + name + ".yaml"))
      .memory;
}

std::string bind_error(const std::string& preset, const std::vector<std::string>& overrides) {
  try {
    hbm_preset(preset, overrides);
  } catch (const config::ConfigError& e) {
    return e.key_path() + ": " + e.message();
  }
  return "no error";
}

}  // namespace

TEST(HbmPresets, StackPeakIsPinsTimesRate) {
  // hardware.md: HBM2E 410-460 GB/s at 3.2-3.6 Gb/s, HBM3 819 GB/s, HBM3E >1.2 TB/s, HBM4 2-2.8 TB/s.
  const struct {
    const char* name;
    double gb_s;
    int pseudo_channels;
  } table[] = {{"hbm2e", 409.6, 16}, {"hbm3", 819.2, 32}, {"hbm3e", 1228.8, 32}, {"hbm4", 2048, 64}};
  for (const auto& p : table) {
    SCOPED_TRACE(p.name);
    hw::MemorySpec m = hbm_preset(p.name);
    EXPECT_NEAR(m.stack_bandwidth() / 1e9, p.gb_s, 1e-9);
    EXPECT_EQ(m.pseudo_channels(), p.pseudo_channels);
    EXPECT_EQ(m.organisation.burst_bytes(), 32);
    // The modelled data buses carry exactly the pin bandwidth: one 32 B burst per burst time.
    ClockedTiming t = ClockedTiming::from(m);
    EXPECT_NEAR(m.pseudo_channels() * 32 / (t.bl * t.tck_s) / 1e9, p.gb_s, 1e-6);
    EXPECT_GE(m.stacks * m.organisation.stack_bytes(), m.capacity_bytes);
  }
}

TEST(HbmPresets, Hbm3ClocksMatchRamulatorAt6400) {
  // Ramulator 2.0 python/ramulator/dram/hbm3.py, HBM3_6400Mbps (tCK 0.625 ns): the ns values of
  // configs/hbm/hbm3.yaml round back to its clock counts.
  ClockedTiming t = ClockedTiming::from(hbm_preset("hbm3"));
  EXPECT_DOUBLE_EQ(t.tck_s, 0.625e-9);
  EXPECT_EQ(t.bl, 2);
  EXPECT_EQ(t.cl, 20);
  EXPECT_EQ(t.rcd_rd, 31);
  EXPECT_EQ(t.rcd_wr, 15);
  EXPECT_EQ(t.rp, 26);
  EXPECT_EQ(t.ras, 45);
  EXPECT_EQ(t.rc, 72);
  EXPECT_EQ(t.wr, 33);
  EXPECT_EQ(t.rtp, 9);
  EXPECT_EQ(t.cwl, 10);
  EXPECT_EQ(t.ccd_s, 2);
  EXPECT_EQ(t.ccd_l, 4);
  EXPECT_EQ(t.rrd_s, 4);
  EXPECT_EQ(t.rrd_l, 5);
  EXPECT_EQ(t.faw, 24);
  EXPECT_EQ(t.wtr_s, 7);
  EXPECT_EQ(t.wtr_l, 10);
  EXPECT_EQ(t.rtw, 20);
  EXPECT_EQ(t.rfc_pb, 320);
  EXPECT_EQ(t.rrefd, 8);
  EXPECT_EQ(t.refi, 6240);
}

TEST(HbmPresets, Hbm4ClocksMatchRamulatorAt8000) {
  // Ramulator 2.0 python/ramulator/dram/hbm4.py, HBM4_8000Mbps (tCK 0.5 ns).
  ClockedTiming t = ClockedTiming::from(hbm_preset("hbm4"));
  EXPECT_DOUBLE_EQ(t.tck_s, 0.5e-9);
  const int got[] = {t.cl, t.cwl, t.rc, t.ras, t.rp, t.rcd_rd, t.rcd_wr, t.rrd_l, t.rrd_s, t.faw,
                     t.rtp, t.wr, t.ccd_l, t.ccd_s, t.wtr_l, t.wtr_s, t.rtw, t.rfc_pb, t.rrefd};
  const int ramulator[] = {20, 10, 90, 57, 33, 39, 19, 7, 5, 30, 12, 42, 4, 2, 13, 9, 25, 560, 8};
  for (size_t i = 0; i < std::size(got); ++i) EXPECT_EQ(got[i], ramulator[i]) << "timing #" << i;
}

TEST(HbmPresets, H800RunsHbm3SlowerWithTheSameNanoseconds) {
  // 5.234375 Gb/s per pin, 4 beats per clock: a 1.309 GHz command clock (0.764 ns).
  hw::MemorySpec m = node_memory("h800-sxm");
  EXPECT_EQ(m.generation, hw::HbmGeneration::hbm3);
  EXPECT_EQ(m.stacks, 5);
  EXPECT_EQ(m.pseudo_channels(), 160);
  EXPECT_DOUBLE_EQ(m.peak_bandwidth(), 3.35e12);
  ClockedTiming t = ClockedTiming::from(m);
  EXPECT_NEAR(t.tck_s, 4 / 5.234375e9, 1e-18);
  EXPECT_EQ(t.cl, 17);      // 12.5 ns / 0.764 = 16.4 -> 17
  EXPECT_EQ(t.rcd_rd, 26);  // 19.375 / 0.764 = 25.4 -> 26
  EXPECT_EQ(t.ccd_s, 2);    // 1.25 / 0.764 = 1.6 -> 2: still one burst time
  EXPECT_EQ(t.faw, 20);     // 15 / 0.764 = 19.6 -> 20
  EXPECT_EQ(t.rfc, 459);    // 350 / 0.764 = 458.0 -> 459
  EXPECT_EQ(t.refi, 5103);  // rounded down: refresh at least every 3.9 us
  // H200 and B200 run HBM3E; H20 inherits the H100's HBM3.
  EXPECT_EQ(node_memory("h200-sxm").generation, hw::HbmGeneration::hbm3e);
  EXPECT_EQ(node_memory("b200").organisation.rows, 49152);
  EXPECT_EQ(node_memory("h20").stacks, 6);
}

TEST(HbmPresets, InconsistentDescriptionsAreRefused) {
  EXPECT_EQ(bind_error("hbm3", {"bus_width_bits=2048"}),
            "organisation: channels x pseudo_channels x pc_width_bits = 1024 pins, but "
            "bus_width_bits is 2048");
  EXPECT_EQ(bind_error("hbm3", {"capacity=32 GiB"}),
            "capacity: exceeds what the organisation addresses (stacks x pseudo-channels x banks "
            "x rows x page = 17.18 GB)");
  EXPECT_EQ(bind_error("hbm3", {"organisation.burst_length=6"}),
            "organisation.burst_length: a burst must last a whole number of clocks: burst_length "
            "must be a multiple of transfers_per_clock (4)");
  EXPECT_EQ(bind_error("hbm3", {"organisation.page=1000 B"}),
            "organisation.page: must be a whole number of bursts of 32 B");
  EXPECT_EQ(bind_error("hbm3", {"timing.tRC=20 ns"}), "timing.tRC: must be at least tRAS (tRC = tRAS + tRP)");
  EXPECT_EQ(bind_error("hbm3", {"controller.write_low_watermark=0.9"}),
            "controller.write_low_watermark: must be below write_high_watermark");
  EXPECT_EQ(bind_error("hbm3", {"timing.tCL=12.5 GB"}).substr(0, 11), "timing.tCL:");
}

TEST(HbmPresets, AddressMappingErrorsSayWhatIsWrong) {
  auto mapping = [](const std::string& text) {
    return bind_error("hbm3", {"controller.address_mapping=" + text});
  };
  const std::string key = "controller.address_mapping: ";
  EXPECT_EQ(mapping("row bank column bank_group pseudo_channel channel stak"),
            key + "unknown field 'stak' (fields: stack, channel, pseudo_channel, bank_group, bank, row, column)");
  EXPECT_EQ(mapping("row bank column bank_group pseudo_channel channel"),
            key + "field 'stack' is missing (every one of stack, channel, pseudo_channel, "
                  "bank_group, bank, row, column must appear)");
  EXPECT_EQ(mapping("row row bank column bank_group pseudo_channel channel stack"), key + "field 'row' appears twice");
  EXPECT_EQ(mapping("row bank column bank_group pseudo_channel channel stack column:3"),
            key + "the column counts multiply to 3, which does not divide the 32 columns (bursts) of a row");
  EXPECT_EQ(mapping("row bank column:4 bank_group pseudo_channel channel stack column:2"),
            key + "one column part must go without a count (it takes the rest)");
  EXPECT_EQ(mapping("row:2 bank column bank_group pseudo_channel channel stack"),
            key + "only column may be split with ':COUNT', not 'row:2'");
  EXPECT_EQ(mapping("row bank column bank_group pseudo_channel channel stack column:x"),
            key + "'column:x': the count must be a positive integer");
  EXPECT_EQ(mapping("stack channel pseudo_channel bank_group bank row column"), "no error");
}
