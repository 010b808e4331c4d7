#!/usr/bin/env bash
# The app allocates with mimalloc (CMakeLists.txt, recourse_allocator): the dynamic linker
# binds even the C library's own calls to malloc to it, which it does only when mimalloc
# comes before the C library. Usage: tests/allocator_check.sh path/to/recourse
set -euo pipefail
bindings=$(LD_DEBUG=bindings "$1" --help 2>&1 >/dev/null || true)
if ! grep -q "libc\.so\.6 .* to .*libmimalloc\.so[.0-9]* .*normal symbol \`malloc'" <<<"$bindings"; then
  echo "allocator_check: $1 does not allocate with mimalloc" >&2
  exit 1
fi
