// The organization database on the command line: --database pointing a data directory at
// PostgreSQL and remembered there, two data directories (two staff machines) sharing one
// store, and `migrate --to` moving a vault into it and back out. These run as
// "pg.OrganizationCliTest.*" against ctest's throwaway server (tests/pg_fixture.sh);
// without one they are skipped.
#include <filesystem>
#include <fstream>
#include <random>

#include "fakes/cli_harness.h"
#include "store/pg_db.h"

namespace recourse::cli {
namespace {

class OrganizationCliTest : public testing::CliHarness {
 protected:
  void SetUp() override {
    const char* file = std::getenv("RECOURSE_TEST_POSTGRES_FILE");
    std::string base;
    if (file != nullptr) std::getline(std::ifstream(file), base);
    if (base.empty()) {
      // Skipped, not failed, in the plain run: ctest runs these again as pg.* with the
      // fixture's server (tests/CMakeLists.txt), and that is where they count.
      GTEST_SKIP() << "needs the test PostgreSQL server: runs as pg.OrganizationCliTest.*";
    }
    std::random_device rd;
    url_ = base + "?options=-csearch_path%3Dc" + std::to_string(rd()) + "_" + std::to_string(rd());
  }

  std::string url_;
};

TEST_F(OrganizationCliTest, TwoDataDirectoriesShareOneOrganizationDatabase) {
  auto r = cli({"--database", url_, "init", "--kdf", "interactive"});
  ASSERT_EQ(r.code, 0) << r.err;
  // Remembered: later commands need not say it again, and the file is private.
  const std::string pointer = dataDir() + "/database.url";
  ASSERT_TRUE(std::filesystem::exists(pointer));
  EXPECT_EQ(std::filesystem::status(pointer).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_FALSE(std::filesystem::exists(dataDir() + "/recourse.db"));
  const std::string client = addClient("Dana Reyes");
  // A second machine: its own data directory, the same database, the same account.
  const std::string other = tmp_.file("second-machine");
  r = cliIn(other, {"--database", url_, "client", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto list = r.jsonArray();
  ASSERT_EQ(list->size(), 1U);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("id"), client);
  r = cliIn(other, {"audit"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("hash chain verified"), std::string::npos) << r.out;
}

TEST_F(OrganizationCliTest, ABadDatabaseIsRefusedAndNothingIsRemembered) {
  auto r = cli({"--database", "mysql://somewhere/db", "client", "list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--database"), std::string::npos) << r.err;
  r = cli({"--database", "postgresql://staff:hunter22@127.0.0.1:1/recourse", "client", "list"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot connect to the organization database at 127.0.0.1:1/recourse"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("hunter22"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dataDir() + "/database.url"));
}

TEST_F(OrganizationCliTest, MigrateMovesAVaultInAndBackOutWhole) {
  initVault();
  const std::string client = addClient("Dana Reyes");
  std::vector<std::string> args = {"case", "add", "--client", client, "--json"};
  args.insert(args.end(), testing::kCaliforniaLmft.begin(), testing::kCaliforniaLmft.end());
  auto r = cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string kase = r.id();
  const std::string texts = tmp_.file("texts.txt");
  testing::writeFile(texts, "Texts from Dr. P, March 2024\n");
  r = cli({"evidence", "add", "--case", kase, texts, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string item = r.id();
  ASSERT_TRUE(std::filesystem::exists(dataDir() + "/evidence/" + item + ".sealed"));

  r = cli({"migrate", "--to", url_, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto moved = r.json();
  // The evidence file went into the database; the folder stays beside the kept vault file.
  EXPECT_EQ(moved->getObject("rows")->getValue<long long>("evidence"), 1);
  EXPECT_EQ(moved->getObject("rows")->getValue<long long>("evidence_parts"), 1);
  EXPECT_FALSE(std::filesystem::exists(dataDir() + "/evidence"));
  EXPECT_TRUE(std::filesystem::exists(moved->getValue<std::string>("kept_evidence") + "/" + item +
                                      ".sealed"));
  // Another office computer reads it.
  const std::string there = tmp_.file("texts-there.txt");
  r = cliIn(tmp_.file("second-machine"),
            {"--database", url_, "evidence", "export", item, "--out", there});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(testing::readFile(there), "Texts from Dr. P, March 2024\n");
  EXPECT_EQ(moved->getValue<std::string>("from"), "this computer");
  EXPECT_EQ(moved->getObject("rows")->getValue<long long>("clients"), 1);
  EXPECT_EQ(moved->getObject("rows")->getValue<long long>("cases"), 1);
  const std::string kept = moved->getValue<std::string>("kept");
  EXPECT_TRUE(std::filesystem::exists(kept));
  EXPECT_FALSE(std::filesystem::exists(dataDir() + "/recourse.db"));
  // The same passphrase opens it there, with the case and an intact log.
  r = cli({"case", "show", kase});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Dr. Ana Pérez"), std::string::npos);
  r = cli({"audit"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("hash chain verified"), std::string::npos);
  // A second move into a database that holds a vault copies nothing.
  const std::string other = tmp_.file("another");
  r = cliIn(other, {"init", "--kdf", "interactive"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = cliIn(other, {"migrate", "--to", url_});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("holds records already"), std::string::npos) << r.err;

  // Something added in the organization database comes back out with the rest.
  const std::string later = addClient("Added Later");
  r = cli({"migrate", "--to", "local", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.json()->getObject("rows")->getValue<long long>("clients"), 2);
  EXPECT_TRUE(std::filesystem::exists(dataDir() + "/recourse.db"));
  EXPECT_FALSE(std::filesystem::exists(dataDir() + "/database.url"));
  r = cli({"client", "show", later});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Added Later"), std::string::npos);
  // The evidence file came back into this computer's evidence folder.
  EXPECT_TRUE(std::filesystem::exists(dataDir() + "/evidence/" + item + ".sealed"));
  const std::string back = tmp_.file("texts-back.txt");
  r = cli({"evidence", "export", item, "--out", back});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(testing::readFile(back), "Texts from Dr. P, March 2024\n");
  r = cli({"evidence", "verify"});
  EXPECT_EQ(r.code, 0) << r.err << r.out;
  r = cli({"audit"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("hash chain verified"), std::string::npos);
  // Moving to where it is already changes nothing.
  r = cli({"migrate", "--to", "local"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("there already"), std::string::npos);
}

TEST_F(OrganizationCliTest, APersonLeavesWithTheirOwnVaultAndTheOfficeKeepsAllElse) {
  auto r = cli({"--database", url_, "init", "--kdf", "interactive"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string client = addClient("Dana Reyes");
  const std::string stays = addClient("Eli Stone");
  std::vector<std::string> args = {"case", "add", "--client", client, "--json"};
  args.insert(args.end(), testing::kCaliforniaLmft.begin(), testing::kCaliforniaLmft.end());
  r = cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string kase = r.id();
  const std::string texts = tmp_.file("texts.txt");
  testing::writeFile(texts, "Texts from Dr. P, March 2024\n");
  r = cli({"evidence", "add", "--case", kase, texts, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string item = r.id();

  // The file is in the organization's database, not in this computer's evidence folder.
  const std::string sealed = dataDir() + "/evidence/" + item + ".sealed";
  EXPECT_FALSE(std::filesystem::exists(sealed));

  // As an earlier version kept it: in the first computer's folder only.
  {
    auto db = store::PgDb::connect(url_);
    ASSERT_TRUE(db.isOk()) << db.status().toString();
    auto parts = (*db)->select(
        "SELECT bytes FROM evidence_parts WHERE evidence_id = ? ORDER BY part", {item});
    ASSERT_TRUE(parts.isOk()) << parts.status().toString();
    ASSERT_EQ(parts->size(), 1u);
    std::ofstream out(sealed, std::ios::binary);
    for (const auto& row : *parts) {
      const store::Bytes bytes = row.blob(0);
      out.write(reinterpret_cast<const char*>(bytes.data()),
                static_cast<std::streamsize>(bytes.size()));
    }
    ASSERT_TRUE((*db)->execute("DELETE FROM evidence_parts WHERE evidence_id = ?", {item}).isOk());
  }
  vars_["RECOURSE_NEW_PASSPHRASE"] = "dana's own passphrase";
  const std::string other = tmp_.file("second-machine");
  const std::string out = tmp_.file("dana.recourse");
  r = cliIn(other, {"--database", url_, "client", "handover", client, "--out", out});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not in the organization's database yet (" + item + ")"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  // The first computer moves it in the next time it opens the vault.
  r = cli({"client", "list"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(sealed));

  // A second office machine, which shares only the database, gives it to them.
  r = cliIn(other, {"--database", url_, "client", "handover", client, "--out", out, "--kdf",
                    "interactive", "--name", "dana"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 case(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 evidence file(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("recourse client delete " + client), std::string::npos) << r.out;
  // Refused again rather than overwritten.
  r = cli({"client", "handover", client, "--out", out});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;

  // On their own computer: their file, their passphrase, their account.
  vars_["RECOURSE_PASSPHRASE"] = "dana's own passphrase";
  const std::string home = tmp_.file("danas-laptop");
  r = cliIn(home, {"import", out});
  ASSERT_EQ(r.code, 0) << r.err;
  r = cliIn(home, {"client", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("Your account (\"dana\") has a new recovery code"), std::string::npos)
      << r.err;
  auto list = r.jsonArray();
  ASSERT_EQ(list->size(), 1U);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("id"), client);
  r = cliIn(home, {"case", "show", kase});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Dr. Ana Pérez"), std::string::npos) << r.out;
  r = cliIn(home, {"client", "show", stays});
  EXPECT_NE(r.code, 0);
  const std::string back = tmp_.file("texts-back.txt");
  r = cliIn(home, {"evidence", "export", item, "--out", back});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(testing::readFile(back), "Texts from Dr. P, March 2024\n");
  r = cliIn(home, {"evidence", "verify"});
  EXPECT_EQ(r.code, 0) << r.err << r.out;
  r = cliIn(home, {"audit"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("hash chain verified"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("client.received"), std::string::npos) << r.out;

  // The office still has both clients, and its log says what was given.
  vars_["RECOURSE_PASSPHRASE"] = testing::kPassphrase;
  r = cli({"client", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.jsonArray()->size(), 2U);
  r = cli({"audit"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("client.handover"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace recourse::cli
