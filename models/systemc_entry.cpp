// SystemC's shared library calls sc_main from its own main(); strata enters SystemC from its
// own entry points instead, so this weak definition only satisfies the linker, and a program
// with an sc_main of its own (the SystemC tests) overrides it. CMake compiles this file into
// every program that links strata_models (an INTERFACE source), so no program misses it.
extern "C" __attribute__((weak, visibility("default"))) int sc_main(int, char*[]) { return 1; }
