#include <iostream>
#include <string>
#include <vector>

#include "sim/app/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return strata::app::main_cli(args, std::cout, std::cerr);
}
