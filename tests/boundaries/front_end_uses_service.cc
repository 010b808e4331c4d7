// Must compile: what a front end may use (the workflows and the catalog's law and forms).
// The control for the two files that must not.
#include "jurisdiction/registry.h"
#include "service/deadlines.h"
#include "service/letter.h"

int frontEndUsesService() { return 0; }
