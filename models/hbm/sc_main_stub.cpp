// strata drives SystemC from its own main(); libsystemc.so still references sc_main. The linker
// is asked for sc_main (models/CMakeLists.txt), which pulls this file out of the library only in
// programs that do not define their own.
extern "C" int sc_main(int, char*[]) { return 1; }
