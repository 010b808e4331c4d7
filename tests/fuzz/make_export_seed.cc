// Writes the export reader's seed: a vault with one client, exported with the cheapest
// key derivation libsodium allows (the CLI offers "interactive" at the least, ~0.1 s per
// try, which would hold the fuzzer to a few inputs a second). Usage:
//   fuzz_make_export_seed OUT_FILE
// The vault's own key derivation inside the export is as cheap, so reading it back (which
// unlocks the vault) costs little too. The passphrase matches export_fuzz.cc.
#include <sodium.h>

#include <iostream>
#include <string>

#include "fakes/fake_clock.h"
#include "store/archive.h"
#include "store/store.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_export_seed OUT_FILE\n";
    return 2;
  }
  recourse::testing::FakeClock clock;
  auto store = recourse::store::Store::openInMemory(clock);
  if (!store.isOk()) {
    std::cerr << store.status().text() << "\n";
    return 1;
  }
  const recourse::store::KdfParams cheap{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  const std::string passphrase = "fuzzing passphrase";
  auto st = (*store)->createVault(passphrase, cheap);
  if (st.isOk()) {
    recourse::core::Client client;
    client.name = "Zoë Müller";
    client.email = "zoe@example.org";
    auto added = (*store)->addClient(client);
    if (!added.isOk()) st = added.status();
  }
  if (st.isOk()) st = recourse::store::exportArchive(**store, passphrase, cheap, argv[1]);
  if (!st.isOk()) {
    std::cerr << st.text() << "\n";
    return 1;
  }
  return 0;
}
