// Checks that the SystemC toolchain links and schedules: a thread waiting 10 ns ten times ends
// at 100 ns, and a TLM-style timed notification fires at its time.
#include <systemc>

#include <cstdio>

SC_MODULE(Ticker) {
  int ticks = 0;
  sc_core::sc_event done;
  SC_CTOR(Ticker) { SC_THREAD(run); }
  void run() {
    for (int i = 0; i < 10; ++i) {
      wait(10, sc_core::SC_NS);
      ++ticks;
    }
    done.notify(5, sc_core::SC_NS);
  }
};

int sc_main(int, char*[]) {
  Ticker t("ticker");
  sc_core::sc_start();
  double ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  if (t.ticks != 10 || ns < 104.999 || ns > 105.001) {
    std::fprintf(stderr, "FAIL: ticks=%d at %.3f ns (expected 10 at 105 ns)\n", t.ticks, ns);
    return 1;
  }
  std::printf("ok: 10 ticks, simulation ended at %.0f ns\n", ns);
  return 0;
}
