#include "interceptor.h"

int main(int argc, char** argv) { return oci::Main(argc, argv); }
