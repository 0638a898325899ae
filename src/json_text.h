// What a piece of JSON source text decodes to, checked without allocating:
// the splice writer reuses source bytes only when these say they are exact.
#pragma once

#include <json/value.h>

#include <cstddef>
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

}  // namespace oci
