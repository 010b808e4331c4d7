// Must NOT compile: a front end reaching for the PDF engine. tests/CMakeLists.txt expects
// this build to fail.
#include "pdf/document.h"

int frontEndUsesPdf() { return 0; }
