#include <gtest/gtest.h>

#include "models/noc/bandwidth_calendar.h"

using strata::models::BandwidthCalendar;
using sc_core::SC_NS;
using sc_core::sc_time;

TEST(BandwidthCalendar, SerialisesAtItsRate) {
  BandwidthCalendar c(1e9);  // 1 B/ns
  EXPECT_EQ(c.book(sc_time(0, SC_NS), 100), sc_time(100, SC_NS));
  EXPECT_EQ(c.book(sc_time(0, SC_NS), 100), sc_time(200, SC_NS));  // queued behind the first
  EXPECT_DOUBLE_EQ(c.booked(), 200);
}

TEST(BandwidthCalendar, AnEarlierRequestFillsTheGapBeforeAFutureBooking) {
  // A single "next free" time would make the second request wait until 1100 ns.
  BandwidthCalendar c(1e9);
  EXPECT_EQ(c.book(sc_time(1000, SC_NS), 100), sc_time(1100, SC_NS));
  sc_time t = c.book(sc_time(0, SC_NS), 100);
  EXPECT_LE(t, sc_time(120, SC_NS));  // within one 20 ns bin of its ideal finish
}

TEST(BandwidthCalendar, NeverExceedsItsRateOverAnyWindow) {
  BandwidthCalendar c(1e9);
  sc_time last;
  for (int i = 0; i < 1000; ++i) last = c.book(sc_time(i % 7, SC_NS), 64);
  EXPECT_GE(last.to_seconds() * 1e9, 64000 - 20);  // 64,000 bytes at 1 B/ns
}
