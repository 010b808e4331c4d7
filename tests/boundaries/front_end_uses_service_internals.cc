// Must NOT compile: a front end reaching for the workflow layer's internals (the letter
// context builder). tests/CMakeLists.txt expects this build to fail.
#include "service/letters.h"

int frontEndUsesServiceInternals() { return 0; }
