// Correcting and deleting what was recorded, from the command line: only what is given
// changes, "" empties a field, required fields cannot be emptied, and nothing is deleted
// without a confirmation (a terminal answer, or --yes).
#include <gtest/gtest.h>

#include <filesystem>

#include "fakes/cli_harness.h"
#include "fakes/temp_dir.h"

namespace recourse::cli {
namespace {

class CorrectionsTest : public testing::CliHarness {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        initVaultWithCase("Maya Okafor", {"--email", "maya@example.org", "--phone", "555-0100"},
                          {"--provider-name", "Dr. Ana Pérez", "--license-type", "LMFT",
                           "--jurisdiction", "us", "--practice", "Bay Clinic"}));
  }

  std::string addIncident(const std::vector<std::string>& options) {
    std::vector<std::string> args = {
        "incident", "add", "--case", case_, "--summary", "Sessions ended by text", "--json"};
    args.insert(args.end(), options.begin(), options.end());
    Result r = cli(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return r.code == 0 ? r.id() : "";
  }
  std::string addEvidence(const std::string& name, const std::string& text) {
    const std::string path = tmp_.file(name);
    testing::writeFile(path, text);
    Result r = cli({"evidence", "add", "--case", case_, path, "--describe", name, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.code == 0 ? r.id() : "";
  }
  std::string addRequest() {
    Result r = cli({"request", "add", "--case", case_, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.code == 0 ? r.id() : "";
  }
};

TEST_F(CorrectionsTest, ClientEditChangesWhatIsGivenAndEmptiesWhatIsGivenEmpty) {
  Result r = cli({"client", "edit", client_, "--email", "", "--address", "12 Elm Street"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto shown = cli({"client", "show", client_, "--json"}).json();
  EXPECT_EQ(shown->getValue<std::string>("name"), "Maya Okafor");
  EXPECT_EQ(shown->getValue<std::string>("phone"), "555-0100");
  EXPECT_EQ(shown->getValue<std::string>("address"), "12 Elm Street");
  EXPECT_TRUE(shown->isNull("email"));

  Result nameless = cli({"client", "edit", client_, "--name", "", "--phone", "555-0199"});
  EXPECT_EQ(nameless.code, 2);
  EXPECT_NE(nameless.err.find("--name"), std::string::npos) << nameless.err;
  shown = cli({"client", "show", client_, "--json"}).json();
  EXPECT_EQ(shown->getValue<std::string>("phone"), "555-0100");  // nothing stored

  Result missing = cli({"client", "edit", "cl_nothere", "--name", "X"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("ID"), std::string::npos) << missing.err;
}

TEST_F(CorrectionsTest, ClientEditTakesADateOfBirthAndNamesTheOptionOfAnImpossibleOne) {
  Result r = cli({"client", "edit", client_, "--date-of-birth", "1985-02-14"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(
      cli({"client", "show", client_, "--json"}).json()->getValue<std::string>("date_of_birth"),
      "1985-02-14");
  Result bad = cli({"client", "edit", client_, "--date-of-birth", "1985-02-30"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--date-of-birth"), std::string::npos) << bad.err;
  EXPECT_EQ(
      cli({"client", "show", client_, "--json"}).json()->getValue<std::string>("date_of_birth"),
      "1985-02-14");
}

TEST_F(CorrectionsTest, CaseEditCorrectsTheTherapistAndNamesTheOptionOfABadValue) {
  Result r = cli({"case", "edit", case_, "--provider-address", "1 Main St, Oakland, CA 94607",
                  "--license-number", "LMFT 98765", "--practice", ""});
  ASSERT_EQ(r.code, 0) << r.err;
  auto shown = cli({"case", "show", case_, "--json"}).json();
  auto p = shown->getObject("provider");
  EXPECT_EQ(p->getValue<std::string>("address"), "1 Main St, Oakland, CA 94607");
  EXPECT_EQ(p->getValue<std::string>("license_number"), "LMFT 98765");
  EXPECT_TRUE(p->isNull("practice"));

  Result bad = cli({"case", "edit", case_, "--treatment-end", "2024-02-30"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--treatment-end"), std::string::npos) << bad.err;
  Result unknown = cli({"case", "edit", case_, "--jurisdiction", "CA"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("--jurisdiction"), std::string::npos) << unknown.err;
  Result nameless = cli({"case", "edit", case_, "--provider-name", ""});
  EXPECT_EQ(nameless.code, 2);
  EXPECT_NE(nameless.err.find("--provider-name"), std::string::npos) << nameless.err;
}

TEST_F(CorrectionsTest, IncidentEditClearsTheEndDateAndTheRecurrence) {
  std::string id = addIncident({"--date", "2023-10-01", "--date-end", "2024-06-30", "--recurring",
                                "--when", "every session that autumn"});
  ASSERT_FALSE(id.empty());
  // Moving the start keeps it recurring.
  Result moved = cli({"incident", "edit", id, "--date", "2023-10-08", "--json"});
  ASSERT_EQ(moved.code, 0) << moved.err;
  EXPECT_EQ(moved.json()->getValue<std::string>("date_precision"), "recurring");
  // The end date and the words can be emptied; it stays recurring from its start.
  Result no_end = cli({"incident", "edit", id, "--date-end", "", "--when", "", "--json"});
  ASSERT_EQ(no_end.code, 0) << no_end.err;
  auto j = no_end.json();
  EXPECT_TRUE(j->isNull("date_end")) << no_end.out;
  EXPECT_TRUE(j->isNull("date_text")) << no_end.out;
  EXPECT_EQ(j->getValue<std::string>("date_precision"), "recurring");
  // It was not recurring after all: one day.
  Result once = cli({"incident", "edit", id, "--precision", "exact", "--json"});
  ASSERT_EQ(once.code, 0) << once.err;
  EXPECT_EQ(once.json()->getValue<std::string>("date_precision"), "exact");
  Result shown = cli({"incident", "show", id});
  EXPECT_NE(shown.out.find("when:      2023-10-08\n"), std::string::npos) << shown.out;
  // And its date is not known after all.
  Result unknown = cli({"incident", "edit", id, "--date", "", "--json"});
  ASSERT_EQ(unknown.code, 0) << unknown.err;
  EXPECT_EQ(unknown.json()->getValue<std::string>("date_precision"), "unknown");
  Result bad = cli({"incident", "edit", id, "--precision", "sometimes"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--precision"), std::string::npos) << bad.err;
  Result range = cli({"incident", "edit", id, "--precision", "range"});
  EXPECT_EQ(range.code, 2) << range.out;
  EXPECT_NE(range.err.find("--date-end"), std::string::npos) << range.err;
}

TEST_F(CorrectionsTest, DeletingWithoutATerminalOrYesIsRefusedAndKeepsEverything) {
  addIncident({});
  Result r = cli({"client", "delete", client_});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--yes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was deleted"), std::string::npos) << r.err;
  EXPECT_EQ(cli({"client", "show", client_}).code, 0);
  for (const auto& what : std::vector<std::vector<std::string>>{
           {"case", "delete", case_}, {"request", "delete", addRequest()}}) {
    Result refused = cli(what);
    EXPECT_EQ(refused.code, 2) << what[0];
    EXPECT_NE(refused.err.find("--yes"), std::string::npos) << refused.err;
  }
  EXPECT_EQ(cli({"case", "show", case_}).code, 0);
}

TEST_F(CorrectionsTest, OnATerminalDeletionAsksWhatWillGoAndOnlyYesDeletes) {
  interactive_ = true;
  addIncident({});
  addIncident({});
  addEvidence("message.txt", "The message.\n");
  addRequest();
  Result no = cli({"client", "delete", client_}, "no\n");
  EXPECT_EQ(no.code, 0) << no.err;
  EXPECT_NE(no.out.find("Delete client Maya Okafor and their 1 case, 2 incidents, 1 evidence "
                        "file and 1 records request? This cannot be undone. Type yes to delete:"),
            std::string::npos)
      << no.out;
  EXPECT_NE(no.out.find("Nothing was deleted."), std::string::npos);
  EXPECT_EQ(cli({"client", "show", client_}).code, 0);

  Result yes = cli({"client", "delete", client_}, "yes\n");
  ASSERT_EQ(yes.code, 0) << yes.err;
  EXPECT_NE(yes.out.find("Deleted Maya Okafor and their 1 case, 2 incidents, 1 evidence file and "
                         "1 records request."),
            std::string::npos)
      << yes.out;
  EXPECT_EQ(cli({"client", "show", client_}).code, 2);
  EXPECT_EQ(cli({"case", "show", case_}).code, 2);
  // No sealed evidence file is left behind.
  size_t sealed = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dataDir())) {
    if (e.path().extension() == ".sealed") ++sealed;
  }
  EXPECT_EQ(sealed, 0u);
  // The audit log names the deletion by id only.
  Result audit = cli({"audit", "--json"});
  EXPECT_NE(audit.out.find("client.delete"), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find("Maya"), std::string::npos);
}

TEST_F(CorrectionsTest, EvidenceRemoveDeletesTheSealedCopyAndLogsOnlyTheFact) {
  std::string keep = addEvidence("keep.txt", "Keep me.\n");
  std::string gone = addEvidence("mistake.txt", "Added by mistake.\n");
  Result r = cli({"evidence", "remove", gone, "--yes"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Removed evidence " + gone), std::string::npos) << r.out;
  Result list = cli({"evidence", "list", "--case", case_});
  EXPECT_EQ(list.out.find("mistake.txt"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("keep.txt"), std::string::npos) << list.out;
  EXPECT_FALSE(std::filesystem::exists(dataDir() + "/evidence/" + gone + ".sealed"));
  EXPECT_TRUE(std::filesystem::exists(dataDir() + "/evidence/" + keep + ".sealed"));
  Result verify = cli({"evidence", "verify"});
  EXPECT_EQ(verify.code, 0) << verify.err;
  Result again = cli({"evidence", "remove", gone, "--yes"});
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("ID"), std::string::npos) << again.err;
}

TEST_F(CorrectionsTest, EvidenceEditCorrectsWhatIsSaidAboutAFile) {
  std::string id = addEvidence("texts.txt", "The texts.\n");
  std::string incident = addIncident({});
  Result r = cli({"evidence", "edit", id, "--describe", "Texts from Dr. P", "--date", "2024-01-02",
                  "--incident", incident});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("The file itself is unchanged"), std::string::npos) << r.out;
  Result list = cli({"evidence", "list", "--case", case_, "--json"});
  EXPECT_NE(list.out.find("Texts from Dr. P"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("2024-01-02"), std::string::npos) << list.out;
  Result future = cli({"evidence", "edit", id, "--date", "2099-01-01"});
  EXPECT_EQ(future.code, 2);
  EXPECT_NE(future.err.find("--date"), std::string::npos) << future.err;
  Result elsewhere = cli({"evidence", "edit", id, "--incident", "in_nothere"});
  EXPECT_NE(elsewhere.code, 0);
  EXPECT_NE(elsewhere.err.find("--incident"), std::string::npos) << elsewhere.err;
  Result unknown = cli({"evidence", "edit", "ev_nothere", "--describe", "x"});
  EXPECT_NE(unknown.err.find("ID"), std::string::npos) << unknown.err;
  EXPECT_EQ(cli({"evidence", "verify"}).code, 0);
}

TEST_F(CorrectionsTest, ACorrectedSentDateMovesTheDueDate) {
  std::string id = addRequest();
  ASSERT_EQ(cli({"request", "send", id, "--on", "2026-01-05", "--via", "mail"}).code, 0);
  Result again = cli({"request", "send", id, "--on", "2026-01-12", "--via", "mail"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("Corrected the sent date from 2026-01-05 to 2026-01-12"),
            std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find("answer due 2026-02-11"), std::string::npos) << again.out;
  auto shown = cli({"request", "show", id, "--json"}).json();
  EXPECT_EQ(shown->getValue<std::string>("sent_on"), "2026-01-12");
  EXPECT_EQ(shown->getValue<std::string>("due"), "2026-02-11");
  Result edited = cli({"request", "edit", id, "--sent-on", "2026-01-20", "--reference", "A-17"});
  ASSERT_EQ(edited.code, 0) << edited.err;
  EXPECT_NE(edited.out.find("answer due 2026-02-19"), std::string::npos) << edited.out;
  Result text = cli({"request", "show", id});
  EXPECT_NE(text.out.find("due:      2026-02-19"), std::string::npos) << text.out;
  Result future = cli({"request", "edit", id, "--sent-on", "2026-04-01"});
  EXPECT_EQ(future.code, 2);
  EXPECT_NE(future.err.find("--sent-on"), std::string::npos) << future.err;
  Result nameless = cli({"request", "edit", id, "--custodian", ""});
  EXPECT_EQ(nameless.code, 2);
  EXPECT_NE(nameless.err.find("--custodian"), std::string::npos) << nameless.err;
}

TEST_F(CorrectionsTest, ARecordedEventIsCorrectedOrRemovedByItsId) {
  std::string id = addRequest();
  ASSERT_EQ(cli({"request", "send", id, "--on", "2026-01-05", "--via", "mail"}).code, 0);
  ASSERT_EQ(cli({"request", "event", id, "--type", "denied", "--on", "2026-01-20"}).code, 0);
  auto shown = cli({"request", "show", id, "--json"}).json();
  auto events = shown->getArray("events");
  ASSERT_EQ(events->size(), 2u);
  const std::string sent = events->getObject(0)->getValue<std::string>("id");
  const std::string denied = events->getObject(1)->getValue<std::string>("id");
  // The plain listing names each event's id, to correct it by.
  Result text = cli({"request", "show", id});
  EXPECT_NE(text.out.find(denied), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("request event-edit"), std::string::npos) << text.out;

  Result early = cli({"request", "event-edit", denied, "--on", "2026-01-02"});
  EXPECT_EQ(early.code, 2);
  EXPECT_NE(early.err.find("--on"), std::string::npos) << early.err;
  EXPECT_NE(early.err.find("before the request was received on 2026-01-05"), std::string::npos)
      << early.err;
  Result fixed = cli({"request", "event-edit", sent, "--on", "2026-01-12"});
  ASSERT_EQ(fixed.code, 0) << fixed.err;
  EXPECT_NE(fixed.out.find("answer due 2026-02-11"), std::string::npos) << fixed.out;
  Result bad_reply = cli({"request", "event-edit", denied, "--reply-within", "7"});
  EXPECT_EQ(bad_reply.code, 2);
  EXPECT_NE(bad_reply.err.find("--reply-within"), std::string::npos) << bad_reply.err;
  Result unknown = cli({"request", "event-edit", "ev_nothere", "--on", "2026-01-12"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("ID"), std::string::npos) << unknown.err;

  // Removing asks first, like every deletion; the day it was received goes last.
  Result asked = cli({"request", "event-delete", denied});
  EXPECT_NE(asked.err.find("--yes"), std::string::npos) << asked.err;
  EXPECT_EQ(cli({"request", "show", id, "--json"}).json()->getArray("events")->size(), 2u);
  Result first = cli({"request", "event-delete", sent, "--yes"});
  EXPECT_NE(first.code, 0);
  EXPECT_NE(first.err.find("denied recorded on 2026-01-20"), std::string::npos) << first.err;
  Result gone = cli({"request", "event-delete", denied, "--yes"});
  ASSERT_EQ(gone.code, 0) << gone.err;
  EXPECT_NE(gone.out.find("Removed the event"), std::string::npos) << gone.out;
  auto after = cli({"request", "show", id, "--json"}).json();
  EXPECT_EQ(after->getArray("events")->size(), 1u);
  EXPECT_NE(after->getValue<std::string>("status"), "denied");
}

TEST_F(CorrectionsTest, RequestShowWaitsForAFollowUpsReplyAndShowsAStoppedClock) {
  std::string id = addRequest();
  ASSERT_EQ(cli({"request", "send", id, "--on", "2026-01-05", "--via", "mail"}).code, 0);
  Result overdue = cli({"request", "show", id});
  EXPECT_NE(overdue.out.find("Send a follow-up letter"), std::string::npos) << overdue.out;
  ASSERT_EQ(cli({"request", "event", id, "--type", "followup_sent", "--on", "2026-02-25", "--via",
                 "mail"})
                .code,
            0);
  Result waiting = cli({"request", "show", id});
  EXPECT_EQ(waiting.out.find("follow-up letter"), std::string::npos) << waiting.out;
  EXPECT_NE(waiting.out.find("follow-up: sent 2026-02-25; their reply is due by 2026-03-11"),
            std::string::npos)
      << waiting.out;
  setToday(2026, 3, 12);
  Result again = cli({"request", "show", id});
  EXPECT_NE(again.out.find("Send another follow-up letter"), std::string::npos) << again.out;
  // A second follow-up asking for a reply within 7 days.
  ASSERT_EQ(cli({"request", "event", id, "--type", "followup_sent", "--on", "2026-03-12", "--via",
                 "mail", "--reply-within", "7"})
                .code,
            0);
  EXPECT_NE(cli({"request", "show", id}).out.find("their reply is due by 2026-03-19"),
            std::string::npos);
  Result bad = cli({"request", "event", id, "--type", "acknowledged", "--on", "2026-03-12",
                    "--reply-within", "7"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--reply-within"), std::string::npos) << bad.err;

  std::string fee = addRequest();
  ASSERT_EQ(cli({"request", "send", fee, "--on", "2026-03-02", "--via", "mail"}).code, 0);
  ASSERT_EQ(cli({"request", "event", fee, "--type", "fee_quoted", "--on", "2026-03-10"}).code, 0);
  Result list = cli({"request", "list"});
  EXPECT_NE(list.out.find("stopped (fee)"), std::string::npos) << list.out;
  // Due 2026-04-01 when it was quoted: 22 days left then, whatever day it is now.
  for (int day : {12, 20}) {
    setToday(2026, 3, day);
    Result shown = cli({"request", "show", fee});
    EXPECT_NE(shown.out.find("the clock stopped on 2026-03-10 until the fee is paid; 22 days "
                             "will be left when it runs again"),
              std::string::npos)
        << shown.out;
  }
}

}  // namespace
}  // namespace recourse::cli
