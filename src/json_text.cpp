#include "json_text.h"

#include <charconv>
#include <cstring>

namespace oci {

namespace {

// Writes code point cp (not a surrogate) as UTF-8, as jsoncpp decodes \uXXXX;
// returns the length.
size_t Utf8(unsigned cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  out[0] = static_cast<char>(0xE0 | (cp >> 12));
  out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[2] = static_cast<char>(0x80 | (cp & 0x3F));
  return 3;
}

// True when all of text parses as a Number bitwise equal to expected.
template <typename Number>
bool TextIs(std::string_view text, Number expected) {
  Number parsed{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  return ec == std::errc() && end == text.data() + text.size() &&
         std::memcmp(&parsed, &expected, sizeof parsed) == 0;
}

// JSON integer text, without fraction or exponent.
bool IntegerText(std::string_view text) {
  bool fraction = false;
  return JsonNumber(text, &fraction) && !fraction;
}

// True when integer text fits jsoncpp's 64-bit integers, which it then reads
// as int or uint rather than double.
bool FitsInteger(std::string_view text) {
  const char* end = text.data() + text.size();
  Json::LargestInt as_int = 0;
  Json::LargestUInt as_uint = 0;
  auto signed_result = std::from_chars(text.data(), end, as_int);
  auto unsigned_result = std::from_chars(text.data(), end, as_uint);
  return (signed_result.ec == std::errc() && signed_result.ptr == end) ||
         (unsigned_result.ec == std::errc() && unsigned_result.ptr == end);
}

}  // namespace

bool JsonNumber(std::string_view text, bool* fraction) {
  size_t i = 0;
  auto digits = [&text, &i] {
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  *fraction = false;
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
    *fraction = true;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
    *fraction = true;
  }
  return i == text.size();
}

bool JsonStringDecodesTo(std::string_view body, std::string_view value) {
  if (!std::memchr(body.data(), '\\', body.size())) {
    return body == value && !std::memchr(value.data(), '"', value.size());
  }
  size_t v = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '"') return false;
    if (c == '\\') {
      if (++i == body.size()) return false;
      char buffer[3];
      size_t length = 1;
      switch (body[i]) {
        case '"': case '\\': case '/': buffer[0] = body[i]; break;
        case 'b': buffer[0] = '\b'; break;
        case 'f': buffer[0] = '\f'; break;
        case 'n': buffer[0] = '\n'; break;
        case 'r': buffer[0] = '\r'; break;
        case 't': buffer[0] = '\t'; break;
        case 'u': {
          unsigned cp = 0;
          if (body.size() - i <= 4) return false;
          for (size_t k = 1; k <= 4; ++k) {
            char h = body[i + k];
            unsigned digit = h >= '0' && h <= '9'   ? h - '0'
                             : h >= 'a' && h <= 'f' ? h - 'a' + 10
                             : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                    : 16;
            if (digit == 16) return false;
            cp = cp * 16 + digit;
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) return false;
          length = Utf8(cp, buffer);
          i += 4;
          break;
        }
        default:
          return false;
      }
      if (value.compare(v, length, buffer, length) != 0) return false;
      v += length;
    } else {
      if (v >= value.size() || value[v] != c) return false;
      ++v;
    }
  }
  return v == value.size();
}

size_t JsonStringEnd(std::string_view text, size_t pos, size_t limit) {
  for (size_t i = pos + 1; i < limit; ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool JsonNumberReadsAs(std::string_view text, const Json::Value& value) {
  switch (value.type()) {
    case Json::intValue:
      return IntegerText(text) && TextIs<Json::LargestInt>(text, value.asLargestInt());
    case Json::uintValue:
      return IntegerText(text) && TextIs<Json::LargestUInt>(text, value.asLargestUInt());
    case Json::realValue: {
      // jsoncpp reads a number as a double when it has a fraction or an
      // exponent, or is an integer too large for 64 bits.
      bool fraction = false;
      return JsonNumber(text, &fraction) && (fraction || !FitsInteger(text)) &&
             TextIs<double>(text, value.asDouble());
    }
    default:
      return false;
  }
}

std::string NonJsonSyntax(std::string_view text, size_t* offset) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    *offset = i;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\0') return "a NUL byte";
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      } else if (c < 0x20) {
        return "a raw control character in a string (it must be escaped)";
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '/') {
      return "a comment ('/' outside a string): JSON has none";
    } else if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
      size_t end = text.find_first_not_of("0123456789+-.eE", i);
      if (end == std::string_view::npos) end = text.size();
      bool fraction = false;
      if (!JsonNumber(text.substr(i, end - i), &fraction)) {
        return "'" + std::string(text.substr(i, end - i)) + "' is not a JSON number";
      }
      i = end - 1;
    }
  }
  return "";
}

std::string LineColumn(std::string_view text, size_t offset) {
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "Line " + std::to_string(line) + ", Column " + std::to_string(offset - line_start + 1);
}

}  // namespace oci
