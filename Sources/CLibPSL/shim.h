#ifndef PARALLAX_CLIBPSL_SHIM_H
#define PARALLAX_CLIBPSL_SHIM_H
#include <libpsl.h>
#endif
