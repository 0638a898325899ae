#include "json_text.h"

#include <gtest/gtest.h>

#include <string>

namespace oci {
namespace {

TEST(JsonTextTest, NumbersFollowTheJsonGrammar) {
  bool fraction = true;
  EXPECT_TRUE(JsonNumber("0", &fraction));
  EXPECT_FALSE(fraction);
  EXPECT_TRUE(JsonNumber("-12", &fraction));
  EXPECT_TRUE(JsonNumber("1.50", &fraction));
  EXPECT_TRUE(fraction);
  EXPECT_TRUE(JsonNumber("1e2", &fraction));
  EXPECT_TRUE(fraction);
  EXPECT_TRUE(JsonNumber("-0.5E-3", &fraction));
  for (const char* bad : {"", "-", "01", "000", ".5", "1.", "1e", "+1", "inf", "nan", "0x10", "1 "}) {
    EXPECT_FALSE(JsonNumber(bad, &fraction)) << bad;
  }
}

TEST(JsonTextTest, NumbersReadBackWithTheirType) {
  EXPECT_TRUE(JsonNumberReadsAs("100", Json::Value(100)));
  EXPECT_FALSE(JsonNumberReadsAs("100", Json::Value(100.0)));  // jsoncpp: int
  EXPECT_FALSE(JsonNumberReadsAs("1e2", Json::Value(100)));    // jsoncpp: double
  EXPECT_TRUE(JsonNumberReadsAs("1e2", Json::Value(100.0)));
  EXPECT_TRUE(JsonNumberReadsAs("18446744073709551615",
                                Json::Value(Json::UInt64(18446744073709551615ULL))));
  EXPECT_TRUE(JsonNumberReadsAs("99999999999999999999", Json::Value(1e20)));  // too big: double
  EXPECT_TRUE(JsonNumberReadsAs("-0", Json::Value(0)));
  EXPECT_FALSE(JsonNumberReadsAs(".50", Json::Value(0.5)));
  EXPECT_FALSE(JsonNumberReadsAs("000", Json::Value(0)));
  EXPECT_FALSE(JsonNumberReadsAs("1", Json::Value(2)));
  EXPECT_FALSE(JsonNumberReadsAs("1", Json::Value("1")));
}

TEST(JsonTextTest, StringBodiesDecodeLikeJsoncpp) {
  EXPECT_TRUE(JsonStringDecodesTo("plain", "plain"));
  EXPECT_TRUE(JsonStringDecodesTo(R"(a \u0026\u0026 b \u003e c)", "a && b > c"));
  EXPECT_TRUE(JsonStringDecodesTo(R"(\"q\"\\\/\b\f\n\r\t)", "\"q\"\\/\b\f\n\r\t"));
  EXPECT_TRUE(JsonStringDecodesTo(R"(caf\u00e9 \u2603)", "caf\xc3\xa9 \xe2\x98\x83"));
  EXPECT_TRUE(JsonStringDecodesTo(R"(nul\u0000)", std::string("nul\0", 4)));
  EXPECT_FALSE(JsonStringDecodesTo("plain", "plainer"));
  EXPECT_FALSE(JsonStringDecodesTo("plainer", "plain"));
  EXPECT_FALSE(JsonStringDecodesTo(R"(\u0041)", "B"));
  // A raw quote cannot stand in a body; a value holding one needs an escape.
  EXPECT_FALSE(JsonStringDecodesTo("a\"b", "a\"b"));
  // Not guessed at: surrogate pairs, bad escapes, cut-off escapes.
  EXPECT_FALSE(JsonStringDecodesTo(R"(\ud83d\udc33)", "\xf0\x9f\x90\xb3"));
  EXPECT_FALSE(JsonStringDecodesTo(R"(\x41)", "A"));
  EXPECT_FALSE(JsonStringDecodesTo(R"(\u00)", ""));
  EXPECT_FALSE(JsonStringDecodesTo("\\", ""));
}

TEST(JsonTextTest, StringEndSkipsEscapedQuotes) {
  const std::string text = R"("a\"b\\" : 1)";
  EXPECT_EQ(7u, JsonStringEnd(text, 0, text.size()));
  EXPECT_EQ(std::string::npos, JsonStringEnd(text, 0, 6));
  EXPECT_EQ(std::string::npos, JsonStringEnd(R"("open)", 0, 5));
}

}  // namespace
}  // namespace oci
