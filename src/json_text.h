// What a piece of JSON source text decodes to, checked without allocating:
// the splice writer reuses source bytes only when these say they are exact.
#pragma once

#include <json/value.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace oci {

/// True when text is a JSON number (RFC 8259); *fraction tells whether it has
/// a fraction or an exponent, the forms jsoncpp reads as a double.
bool JsonNumber(std::string_view text, bool* fraction);

/// True when number text reads back, with jsoncpp, as exactly value: the
/// same type (int, uint or double) and the same value.
bool JsonNumberReadsAs(std::string_view text, const Json::Value& value);

/// True when body, the text between a JSON string's quotes, decodes to
/// exactly value. Surrogate escapes and anything malformed count as not
/// equal: such a string is written anew, never guessed at.
bool JsonStringDecodesTo(std::string_view body, std::string_view value);

/// The position of the closing quote of the JSON string whose opening quote
/// is at text[pos], searching before limit; npos when there is none.
size_t JsonStringEnd(std::string_view text, size_t pos, size_t limit);

/// The first thing in text that jsoncpp reads and JSON (Go's decoder, so runc
/// and dockerd) refuses: a NUL (it ends jsoncpp's input early), a raw control
/// character in a string, a '/' outside strings (jsoncpp skips comments
/// whatever allowComments says), numbers such as "-", "+1", "01" or "1."
/// (read as 0, 1, 1, 1.0). A description with *offset set; empty if none.
std::string NonJsonSyntax(std::string_view text, size_t* offset);

/// "Line L, Column C" (1-based, columns in bytes) of offset in text, as
/// jsoncpp words its own errors.
std::string LineColumn(std::string_view text, size_t offset);

}  // namespace oci
