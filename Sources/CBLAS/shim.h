// The only C boundary of the package: OpenBLAS's CBLAS interface, its
// runtime controls (threads, kernel core name) and LAPACKE.
#include <cblas.h>
#include <lapacke.h>
