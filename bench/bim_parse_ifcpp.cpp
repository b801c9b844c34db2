// bim_parse_ifcpp.cpp — times IFC++ (Debian libifcplusplus) loading one file: the file read into a string, then
// ReaderSTEP::loadModelFromString, which splits, indexes and reads every entity with its attributes.
// (loadModelFromFile of this 2019 snapshot returns an empty model for every path, so the string variant is used.)
// Prints: ifcpp bytes seconds entities.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include <ifcpp/model/BuildingModel.h>
#include <ifcpp/reader/ReaderSTEP.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.ifc\n", argv[0]);
    return 2;
  }
  std::string p(argv[1]);
  auto t0 = std::chrono::steady_clock::now();
  std::ifstream f(p, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  long long bytes = (long long)content.size();
  shared_ptr<BuildingModel> model(new BuildingModel());
  shared_ptr<ReaderSTEP> reader(new ReaderSTEP());
  reader->loadModelFromString(content, model);
  auto t1 = std::chrono::steady_clock::now();
  size_t n = model->getMapIfcEntities().size();
  std::printf("ifcpp %lld %.4f %zu\n", bytes, std::chrono::duration<double>(t1 - t0).count(), n);
  return n ? 0 : 1;
}
