// Output files: written whole or not at all, and never a .partial left behind.
#include "service/files.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "fakes/temp_dir.h"

namespace recourse::service {
namespace {

TEST(FilesTest, AFileIsWrittenWholeThenRenamed) {
  testing::TempDir tmp;
  const std::string path = tmp.file("letter.pdf");
  ASSERT_TRUE(writeFileAtomically(path, {'%', 'P', 'D', 'F'}, "letter").isOk());
  EXPECT_EQ(testing::readFile(path), "%PDF");
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST(FilesTest, AFailedRenameLeavesNoPartialFile) {
  testing::TempDir tmp;
  // A folder stands where the file should go: the write succeeds, the rename cannot.
  const std::string path = tmp.file("taken");
  std::filesystem::create_directory(path);
  auto st = writeFileAtomically(path, {'x'}, "the letter");
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.code(), core::StatusCode::kIOError);
  EXPECT_NE(st.message().find("cannot create it: "), std::string::npos) << st.message();
  // The reason is the rename's, not that of the clean-up after it.
  EXPECT_EQ(st.message().find("Success"), std::string::npos) << st.message();
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  EXPECT_TRUE(std::filesystem::is_directory(path));
}

TEST(FilesTest, RequireNewFileNamesTheField) {
  testing::TempDir tmp;
  EXPECT_TRUE(requireNewFile("", "out_path").isOk());
  EXPECT_TRUE(requireNewFile(tmp.file("new.pdf"), "out_path").isOk());
  auto taken = requireNewFile(tmp.path(), "out_path");
  EXPECT_EQ(taken.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(taken.field(), "out_path");
  EXPECT_NE(taken.message().find("already exists"), std::string::npos);
}

}  // namespace
}  // namespace recourse::service
