// `recourse complaint filed|event|event-edit|event-delete|status` and the complaint's steps in
// `deadlines`: the person's own record of what happened after filing, under a fake clock.
#include <gtest/gtest.h>

#include "fakes/cli_harness.h"
#include "pdf/pdf_tools.h"

namespace recourse::cli {
namespace {

using Poco::JSON::Object;

class ComplaintTrackingCliTest : public testing::CliHarness {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(initVaultWithCase("Zoë Müller")); }

  Object::Ptr status() {
    auto r = cli({"complaint", "status", "--case", case_, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.json();
  }
};

TEST_F(ComplaintTrackingCliTest, FilingStepsAndTheirDatesAreRecordedShownAndListedAsDue) {
  setToday(2026, 2, 10);
  auto filed = cli({"complaint", "filed", "--case", case_, "--on", "2026-01-05", "--via", "mail",
                    "--reference", "BBS-2026-0042"});
  ASSERT_EQ(filed.code, 0) << filed.err;
  EXPECT_NE(filed.out.find("Complaint to Board of Behavioral Sciences, filed 2026-01-05 (mail), "
                           "reference BBS-2026-0042."),
            std::string::npos)
      << filed.out;

  auto asked = cli({"complaint", "event", "--case", case_, "--type", "info_requested", "--on",
                    "2026-02-10", "--reply-by", "2026-02-24", "--details", "they want the texts"});
  ASSERT_EQ(asked.code, 0) << asked.err;
  EXPECT_NE(asked.out.find("Status: info_requested."), std::string::npos) << asked.out;
  EXPECT_NE(asked.out.find("reply by 2026-02-24"), std::string::npos) << asked.out;

  auto s = status();
  EXPECT_EQ(s->getValue<std::string>("status"), "info_requested");
  EXPECT_EQ(s->getValue<std::string>("board_reference"), "BBS-2026-0042");
  auto events = s->getArray("events");
  ASSERT_EQ(events->size(), 1u);
  const std::string event_id = events->getObject(0)->getValue<std::string>("id");
  EXPECT_EQ(events->getObject(0)->getValue<std::string>("details"), "they want the texts");
  auto next = s->getArray("next");
  ASSERT_GE(next->size(), 2u);
  EXPECT_EQ(next->getObject(0)->getValue<std::string>("key"), "reply_info");
  EXPECT_EQ(next->getObject(0)->getValue<std::string>("by"), "2026-02-24");
  EXPECT_TRUE(next->getObject(0)->getValue<bool>("deadline"));

  // The plain view says what happened and what the board says it does.
  auto plain = cli({"complaint", "status", "--case", case_});
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_NE(plain.out.find("2026-02-10  info_requested"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("What the board does:"), std::string::npos) << plain.out;

  // The case's timeline goes on with the complaint's steps, notes as written.
  auto timeline = cli({"timeline", "--case", case_});
  ASSERT_EQ(timeline.code, 0) << timeline.err;
  testing::expectInOrder(timeline.out, {"Records requests and the complaint:", "2026-01-05",
                                        "Complaint sent to", "by post", "2026-02-10",
                                        "The board asked for more information, to reply by "
                                        "2026-02-24",
                                        "they want the texts"});

  // In `deadlines`, and in the calendar file.
  const std::string ics = tmp_.file("due.ics");
  auto due = cli({"deadlines", "--ics", ics});
  ASSERT_EQ(due.code, 0) << due.err;
  EXPECT_NE(due.out.find("2026-02-24  in 14 days"), std::string::npos) << due.out;
  EXPECT_NE(due.out.find("The board asked for more information on 2026-02-10: reply by "
                         "2026-02-24."),
            std::string::npos)
      << due.out;
  EXPECT_NE(due.out.find("recourse letter --form complaint-status-inquiry --case " + case_),
            std::string::npos)
      << due.out;

  // A correction: the reply date was the 27th. Then removed by mistake, and asked first.
  auto edited = cli({"complaint", "event-edit", event_id, "--reply-by", "2026-02-27"});
  ASSERT_EQ(edited.code, 0) << edited.err;
  EXPECT_EQ(status()->getArray("next")->getObject(0)->getValue<std::string>("by"), "2026-02-27");
  auto removed = cli({"complaint", "event-delete", event_id, "--yes"});
  ASSERT_EQ(removed.code, 0) << removed.err;
  EXPECT_EQ(status()->getArray("events")->size(), 0u);

  // The letter asking where things stand runs as printed.
  auto letter = cli({"letter", "--form", "complaint-status-inquiry", "--case", case_, "--out",
                     tmp_.file("ask.pdf")});
  ASSERT_EQ(letter.code, 0) << letter.err;
  const std::string text = testing::foldedText(tmp_.file("ask.pdf"));
  EXPECT_NE(text.find("your reference BBS-2026-0042"), std::string::npos) << text;
  EXPECT_NE(text.find("I have not heard from you about it since."), std::string::npos) << text;
}

// Bad input: the option named, a non-zero exit, nothing stored.
TEST_F(ComplaintTrackingCliTest, BadInputNamesTheOptionAndStoresNothing) {
  auto before_filing =
      cli({"complaint", "event", "--case", case_, "--type", "acknowledged", "--on", "2026-02-01"});
  EXPECT_NE(before_filing.code, 0);
  EXPECT_NE(before_filing.err.find("--case"), std::string::npos) << before_filing.err;
  ASSERT_EQ(cli({"complaint", "filed", "--case", case_, "--on", "2026-02-01"}).code, 0);

  struct Bad {
    std::vector<std::string> args;
    std::string named;
  };
  const std::vector<Bad> bad = {
      {{"--type", "info_requested", "--on", "2026-02-10", "--reply-by", "2026-02-09"},
       "--reply-by"},
      {{"--type", "outcome", "--on", "2026-01-15", "--outcome", "closed_no_action"}, "--on"},
      {{"--type", "hearing", "--on", "2026-02-10"}, "--type"},
      {{"--type", "outcome", "--on", "2026-02-10"}, "--outcome"},
      {{"--type", "acknowledged", "--on", "2026-02-31"}, "--on"},
  };
  for (const auto& b : bad) {
    std::vector<std::string> args = {"complaint", "event", "--case", case_};
    args.insert(args.end(), b.args.begin(), b.args.end());
    auto r = cli(args);
    EXPECT_NE(r.code, 0) << b.named;
    EXPECT_NE(r.err.find(b.named), std::string::npos) << b.named << ": " << r.err;
  }
  EXPECT_EQ(status()->getArray("events")->size(), 0u);
  auto bad_via = cli({"complaint", "filed", "--case", case_, "--via", "pigeon"});
  EXPECT_NE(bad_via.code, 0);
  EXPECT_NE(bad_via.err.find("--via"), std::string::npos) << bad_via.err;
  EXPECT_EQ(status()->getValue<std::string>("filed_via"), "");
  auto no_id = cli({"complaint", "event-delete", "ce_nothere", "--yes"});
  EXPECT_NE(no_id.code, 0);
  EXPECT_NE(no_id.err.find("ID"), std::string::npos) << no_id.err;
}

}  // namespace
}  // namespace recourse::cli
