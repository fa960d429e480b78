// nesa: the command-line client (see `nesa --help`).
#include "cli/commands.h"

#include <iostream>

int main(int argc, char **argv) { return nesa::cli::runNesa(argc, argv, std::cout, std::cerr); }
