// Must NOT compile: a front end (linked like recourse_cli and recourse_server: the workflow
// layer only) reaching for the store. tests/CMakeLists.txt expects this build to fail.
#include "store/store.h"

int frontEndUsesStore() { return 0; }
