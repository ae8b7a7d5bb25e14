// OpenBLAS's kernel core, re-selected in-process.
//
// A DYNAMIC_ARCH OpenBLAS picks its core table once, in gotoblas_dynamic_init (run by its load-time
// constructor), from OPENBLAS_CORETYPE or from its own CPU detection. gotoblas_dynamic_quit clears
// the choice and gotoblas_dynamic_init makes it again, so setting the variable between the two runs
// OpenBLAS's own code path for a user-set value, without restarting the process. The symbols are
// looked up at run time, so builds of OpenBLAS for one CPU (without them) still link and load.
#include "ckernels.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*openblas_void_fn)(void);

static openblas_void_fn lookup(const char *symbol) {
    return (openblas_void_fn)dlsym(RTLD_DEFAULT, symbol);
}

int miri_openblas_can_select_core(void) {
    return lookup("gotoblas_dynamic_init") != NULL && lookup("gotoblas_dynamic_quit") != NULL;
}

int miri_openblas_has_core(const char *upperName) {
    char symbol[64];
    if (snprintf(symbol, sizeof symbol, "gotoblas_%s", upperName) >= (int)sizeof symbol) return 0;
    return dlsym(RTLD_DEFAULT, symbol) != NULL;
}

int miri_openblas_select_core(const char *name) {
    openblas_void_fn init = lookup("gotoblas_dynamic_init"), quit = lookup("gotoblas_dynamic_quit");
    if (!init || !quit) return -1;
    // The variable is set only for the duration of the call (OpenBLAS reads it in init), so child
    // processes and later reports see the environment as the user left it.
    const char *previous = getenv("OPENBLAS_CORETYPE");
    char *saved = previous ? strdup(previous) : NULL;
    if (name) setenv("OPENBLAS_CORETYPE", name, 1); else unsetenv("OPENBLAS_CORETYPE");
    quit();
    init();
    if (saved) { setenv("OPENBLAS_CORETYPE", saved, 1); free(saved); } else unsetenv("OPENBLAS_CORETYPE");
    return 0;
}
