// Off-chip memory of one accelerator: HBM stacks, their interface and capacity, and (for the
// cycle-level model) the stack organisation, JEDEC timing table and memory controller.
#pragma once

#include <string>

#include "hw/energy.h"
#include "hw/hbm_controller.h"
#include "hw/hbm_organisation.h"
#include "hw/hbm_timing.h"
#include "sim/config/schema.h"

namespace strata::hw {

enum class HbmGeneration { hbm2e, hbm3, hbm3e, hbm4 };

const char* hbm_name(HbmGeneration g);

struct MemorySpec {
  HbmGeneration generation = HbmGeneration::hbm3;
  int stacks = 0;                   ///< active stacks
  int bus_width_bits = 0;           ///< data pins per stack (1024 for HBM3, 2048 for HBM4)
  double pin_rate_bytes_per_s = 0;  ///< per data pin, stored in bytes/s (written "6.4 Gb/s")
  double capacity_bytes = 0;        ///< usable capacity of all stacks together
  HbmOrganisation organisation;
  HbmTiming timing;
  HbmControllerSpec controller;
  HbmEnergySpec energy;

  /// Peak bandwidth of all active stacks: pins x rate.
  double peak_bandwidth() const { return stacks * bus_width_bits * pin_rate_bytes_per_s; }
  double stack_bandwidth() const { return bus_width_bits * pin_rate_bytes_per_s; }
  /// Command clock: the pin rate divided by the data beats per clock.
  double clock_hz() const { return pin_rate_bytes_per_s * 8 / organisation.transfers_per_clock; }
  int pseudo_channels() const { return stacks * organisation.pseudo_channels_per_stack(); }

  static const config::Schema<MemorySpec>& schema();
};

}  // namespace strata::hw
