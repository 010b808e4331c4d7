// The CLI end to end, in process: real store files in a temp directory, fake clock.
#include <gtest/gtest.h>

#include <filesystem>

#include "fakes/cli_harness.h"
#include "fakes/temp_dir.h"
#include "pdf/layout.h"
#include "pdf/pdf_tools.h"

namespace recourse::cli {
namespace {

using testing::allBytesUnder;
using testing::kPassphrase;
using testing::readFile;

class CliTest : public testing::CliHarness {
 protected:
  std::string db() const { return dataDir() + "/recourse.db"; }
};

TEST_F(CliTest, WholeJourneySurvivesRestartAndStaysSealed) {
  initVault();
  std::string client = addClient("Zoë Müller-Nuñez");
  EXPECT_EQ(client.rfind("cl_", 0), 0u);
  std::string kase = addCase(client);
  Result r = cli({"incident", "add", "--case", kase, "--summary",
                  "Ended therapy by text message with no referral", "--date", "2024-04-02",
                  "--channel", "text", "--harm", "abandonment", "--harm", "records_refused",
                  "--narrative-file", "-", "--json"},
                 "She wrote that she would not see me again.\nNo reason given.");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.json()->getValue<std::string>("date_precision"), "exact");
  r = cli({"incident", "add", "--case", kase, "--summary", "Shared my story with a colleague",
           "--when", "spring 2024"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("spring 2024"), std::string::npos);

  // "Restart": each runCli call opens the store anew; nothing is kept in memory between.
  r = cli({"client", "list"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Zoë Müller-Nuñez"), std::string::npos);
  r = cli({"case", "show", kase, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto shown = r.json();
  EXPECT_EQ(shown->getObject("provider")->getValue<std::string>("name"), "Dr. Ana Pérez");
  auto incidents = shown->getArray("incidents");
  ASSERT_EQ(incidents->size(), 2u);
  // In timeline order: "spring 2024" can mean March 1, before 2024-04-02.
  EXPECT_EQ(incidents->getObject(1)->getValue<std::string>("narrative"),
            "She wrote that she would not see me again.\nNo reason given.");
  EXPECT_EQ(incidents->getObject(1)->getArray("harm_kinds")->size(), 2u);
  EXPECT_EQ(incidents->getObject(0)->getValue<std::string>("date_precision"), "approximate");

  r = cli({"incident", "list", "--case", kase});
  ASSERT_EQ(r.code, 0);
  EXPECT_LT(r.out.find("spring 2024"), r.out.find("2024-04-02"));

  std::string bytes = allBytesUnder(dataDir());
  for (const char* secret : {"Müller-Nuñez", "Ana Pérez", "12345", "referral", "colleague",
                             "would not see me", "abandonment", kPassphrase}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(bytes.find(kase), std::string::npos);
}

TEST_F(CliTest, DataDirMayComeAfterTheSubcommand) {
  initVault();
  Result r = cliAsGiven({"client", "add", "--name", "Ana", "--data-dir", dataDir(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = cliAsGiven({"client", "list", "--json", "--data-dir=" + dataDir()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.jsonArray()->size(), 1u);
}

TEST_F(CliTest, DefaultDataDirIsUnderHome) {
  Result r = cliAsGiven({"init", "--kdf", "interactive"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(tmp_.file("home/.local/share/recourse/recourse.db")));
}

TEST_F(CliTest, EveryCommandHasHelp) {
  for (std::vector<std::string> cmd : {std::vector<std::string>{"init"},
                                       {"serve"},
                                       {"client", "add"},
                                       {"client", "list"},
                                       {"client", "show"},
                                       {"case", "add"},
                                       {"case", "list"},
                                       {"case", "show"},
                                       {"incident", "add"},
                                       {"incident", "list"},
                                       {"client", "edit"},
                                       {"client", "delete"},
                                       {"case", "edit"},
                                       {"case", "delete"},
                                       {"incident", "edit"},
                                       {"incident", "delete"},
                                       {"evidence", "remove"},
                                       {"request", "edit"},
                                       {"request", "delete"},
                                       {"export"},
                                       {"import"},
                                       {"audit"}}) {
    std::string name;
    for (const auto& w : cmd) name += (name.empty() ? "" : " ") + w;
    cmd.push_back("--help");
    Result r = cliAsGiven(cmd);
    EXPECT_EQ(r.code, 0) << name;
    EXPECT_EQ(r.out.rfind("Usage: recourse " + name, 0), 0u) << r.out;
  }
  Result r = cliAsGiven({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("client add"), std::string::npos);
  r = cliAsGiven({"client", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("client show"), std::string::npos);
}

// Harm kinds in a person's own plain words or by short name; --help lists them all.
TEST_F(CliTest, HarmKindsInPlainWordsOrShortNamesAndListedInHelp) {
  Result help = cliAsGiven({"incident", "add", "--help"});
  ASSERT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("Kinds of harm"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("abandonment                 Ending therapy abruptly or without a "
                          "referral"),
            std::string::npos)
      << help.out;
  EXPECT_NE(help.out.find("imposing_beliefs"), std::string::npos) << help.out;

  ASSERT_NO_FATAL_FAILURE(initVaultWithCase("Maya Okafor"));
  Result r = cli({"incident", "add", "--case", case_, "--summary", "Ended by text", "--harm",
                  "Ending therapy abruptly or without a referral", "--harm", "boundary violation",
                  "--harm", "Abandoned", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto kinds = r.json()->getArray("harm_kinds");
  ASSERT_EQ(kinds->size(), 2u);
  EXPECT_EQ(kinds->getElement<std::string>(0), "abandonment");
  EXPECT_EQ(kinds->getElement<std::string>(1), "boundary_violation");
  r = cli({"incident", "add", "--case", case_, "--summary", "x", "--harm", "rudeness"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--harm: \"rudeness\" is not a kind of harm Recourse knows"),
            std::string::npos)
      << r.err;
}

// `evidence list` shows what each file is, in the person's words.
TEST_F(CliTest, EvidenceListShowsDescriptions) {
  ASSERT_NO_FATAL_FAILURE(initVaultWithCase("Maya Okafor"));
  pdf::LayoutOptions opt;
  opt.font_mode = pdf::FontMode::kBuiltin;
  auto l = pdf::Layout::create(opt, pdf::DocInfo{});
  ASSERT_TRUE(l.isOk());
  (*l)->heading("Message from the clinic");
  const std::string path = tmp_.file("message.pdf");
  testing::writeBytes(path, *(*l)->finish());
  Result r = cli({"evidence", "add", "--case", case_, path, "--describe",
                  "Email from the clinic refusing my notes"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = cli({"evidence", "list", "--case", case_});
  ASSERT_EQ(r.code, 0) << r.err;
  const size_t file = r.out.find("message.pdf");
  const size_t described = r.out.find("Email from the clinic refusing my notes");
  ASSERT_NE(file, std::string::npos) << r.out;
  ASSERT_NE(described, std::string::npos) << r.out;
  EXPECT_LT(file, described);
}

TEST_F(CliTest, UsageErrorsNameTheArgumentAndExit2) {
  initVault();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const auto& c : std::vector<Case>{
           {{"client", "add"}, "--name: is required"},
           {{"client", "add", "--name", ""}, "--name: must not be empty"},
           {{"client", "add", "--name", "Zoë", "--email", "nope"}, "--email: "},
           {{"client", "add", "--nme", "Zoë"}, "--nme: not an option of 'client add'"},
           {{"client", "add", "--name"}, "--name: needs a value"},
           {{"client", "add", "--name", "a", "--name", "b"}, "--name: given more than once"},
           {{"case", "add", "--client", "cl_x"}, "--provider-name: is required"},
           {{"case", "add", "--client", "cl_x", "--provider-name", "P", "--jurisdiction",
             "California"},
            "--jurisdiction: "},
           {{"case", "add", "--client", "cl_x", "--provider-name", "P", "--treatment-start",
             "2024-02-30"},
            "--treatment-start: 2024-02-30 is an impossible date (February 2024 has 29 days)"},
           {{"case", "add", "--client", "cl_x", "--provider-name", "P", "--treatment-start",
             "2024-05-01", "--treatment-end", "2024-01-01"},
            "--treatment-end: "},
           {{"case", "add", "--client", "cl_nothere", "--provider-name", "P"},
            "--client: no client with id cl_nothere"},
           {{"incident", "add", "--case", "cs_x"}, "--summary: is required"},
           {{"incident", "add", "--case", "cs_x", "--summary", "s", "--channel", "fax"},
            "--channel: "},
           {{"incident", "add", "--case", "cs_x", "--summary", "s", "--date-end", "2024-01-01"},
            "--date-end: also give --date"},
           {{"incident", "add", "--case", "cs_nothere", "--summary", "s"},
            "--case: no case with id cs_nothere"},
           {{"incident", "add", "--case", "cs_x", "--summary", "s", "--harm", "rudeness"},
            "--harm: \"rudeness\" is not a kind of harm Recourse knows. Known kinds: "
            "boundary_violation"},
           {{"client", "show"}, "ID: "},
           {{"client", "show", "a", "b"}, "'b': unexpected argument"},
           {{"serve", "--port", "99999"}, "--port: "},
           {{"init", "--kdf", "weak"}, "--kdf: "},
           {{"frobnicate"}, "'frobnicate' is not a command"},
           {{"client", "frobnicate"}, "'client frobnicate' is not a command"},
       }) {
    Result r = cli(c.args);
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    EXPECT_EQ(r.code, 2) << joined << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << joined << " -> " << r.err;
  }
  EXPECT_EQ(cli({"client", "list", "--json"}).jsonArray()->size(), 0u);
}

TEST_F(CliTest, WrongPassphraseExits1AndChangesNothing) {
  initVault();
  addClient("Zoë");
  std::string before = readFile(db());
  vars_["RECOURSE_PASSPHRASE"] = "not the passphrase";
  Result r = cli({"client", "add", "--name", "Mallory"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("passphrase does not open this vault"), std::string::npos);
  // Nothing was added: only the failed attempt is counted (it slows the next ones).
  EXPECT_NE(readFile(db()), before);
  vars_["RECOURSE_PASSPHRASE"] = kPassphrase;
  Result list = cli({"client", "list"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("Zoë"), std::string::npos);
  EXPECT_EQ(list.out.find("Mallory"), std::string::npos);
}

TEST_F(CliTest, PassphraseFromFile) {
  std::string file = tmp_.file("pass.txt");
  testing::writeFile(file, std::string(kPassphrase) + "\n");
  vars_.erase("RECOURSE_PASSPHRASE");
  Result r = cli({"client", "list"});
  EXPECT_EQ(r.code, 1);  // no vault yet
  r = cli({"--passphrase-file", file, "init", "--kdf", "interactive"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = cli({"client", "list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("passphrase: none given"), std::string::npos);
  r = cli({"client", "list", "--passphrase-file", file});
  EXPECT_EQ(r.code, 0) << r.err;
  r = cli({"client", "list", "--passphrase-file", tmp_.file("missing")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--passphrase-file: cannot read"), std::string::npos);
}

TEST_F(CliTest, InitRefusesShortPassphraseAndSecondVault) {
  vars_["RECOURSE_PASSPHRASE"] = "short";
  Result r = cli({"init", "--kdf", "interactive"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("at least 8 characters"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(db()));
  vars_["RECOURSE_PASSPHRASE"] = kPassphrase;
  initVault();
  std::string before = readFile(db());
  r = cli({"init", "--kdf", "interactive"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("a vault already exists"), std::string::npos);
  EXPECT_EQ(readFile(db()), before);
}

TEST_F(CliTest, NoVaultYetSaysHowToStart) {
  Result r = cli({"client", "list"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("recourse init"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(db()));
}

TEST_F(CliTest, CorruptDatabaseIsReportedAndKept) {
  std::filesystem::create_directories(dataDir());
  std::string garbage(4096, 'Z');
  testing::writeFile(db(), garbage);
  Result r = cli({"client", "list"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not a Recourse database or is damaged"), std::string::npos);
  EXPECT_EQ(readFile(db()), garbage);
}

TEST_F(CliTest, UnusableDataDirectoryIsReported) {
  testing::writeFile(tmp_.file("a-file"), "x");
  Result r = cliAsGiven({"--data-dir", tmp_.file("a-file/data"), "init", "--kdf", "interactive"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot create the data directory"), std::string::npos);
  r = cliAsGiven({"--data-dir", tmp_.file("a-file"), "init", "--kdf", "interactive"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is not a directory"), std::string::npos);
}

TEST_F(CliTest, ExportAndImport) {
  initVault();
  std::string zoe = addClient("Zoë Müller");
  addCase(zoe);
  std::string file = tmp_.file("backup.recourse");
  Result r = cli({"export", "--out", file, "--kdf", "interactive"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(readFile(file).find("Müller"), std::string::npos);
  r = cli({"export", "--out", file});
  EXPECT_EQ(r.code, 2);  // never overwrites

  std::string other = tmp_.file("other");
  r = cliAsGiven({"--data-dir", other, "import", file});
  ASSERT_EQ(r.code, 0) << r.err;
  r = cliAsGiven({"--data-dir", other, "client", "show", zoe, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.json()->getValue<std::string>("name"), "Zoë Müller");
  EXPECT_EQ(r.json()->getArray("cases")->size(), 1u);

  // Into a data directory that already has a vault: refused unless --replace.
  addClient("Only in the first vault");
  std::string before = readFile(db());
  r = cli({"import", file});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--replace"), std::string::npos);
  EXPECT_EQ(readFile(db()), before);

  vars_["RECOURSE_PASSPHRASE"] = "wrong passphrase";
  r = cli({"import", file, "--replace"});
  EXPECT_EQ(r.code, 1);
  vars_["RECOURSE_PASSPHRASE"] = kPassphrase;
  EXPECT_EQ(cli({"client", "list", "--json"}).jsonArray()->size(), 2u);

  r = cli({"import", file, "--replace", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string backup = r.json()->getValue<std::string>("backup");
  EXPECT_TRUE(std::filesystem::exists(backup));
  EXPECT_EQ(cli({"client", "list", "--json"}).jsonArray()->size(), 1u);
}

TEST_F(CliTest, AuditReportsAnIntactChain) {
  initVault();
  addClient("Zoë");
  Result r = cli({"audit", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.json()->getValue<bool>("chain_ok"));
  EXPECT_EQ(r.json()->getArray("events")->size(), 2u);
}

TEST_F(CliTest, VersionAndNoArguments) {
  Result r = cliAsGiven({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("recourse ", 0), 0u);
  r = cliAsGiven({});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("Usage: recourse"), std::string::npos);
}

}  // namespace
}  // namespace recourse::cli
