#include "sim/sweep/expression.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "sim/config/schema.h"

namespace strata::sweep {
using config::ConfigError;
using config::Dim;

std::optional<Number> read_number(const std::string& text) {
  static const Dim kDims[] = {Dim::none,   Dim::bytes,          Dim::data_rate, Dim::frequency,
                              Dim::power,  Dim::time,           Dim::energy,    Dim::energy_per_bit,
                              Dim::flops,  Dim::flop_rate,      Dim::area,      Dim::length,
                              Dim::money};
  for (Dim d : kDims)
    if (config::Parsed p = config::parse_quantity(text, d); p.value) return Number{*p.value, d};
  return std::nullopt;
}

struct Expression::Node {
  enum class Op { literal, name, neg, not_, and_, or_, add, sub, mul, div, mod, lt, le, gt, ge, eq, ne };
  Op op = Op::literal;
  Value value;       ///< literal
  std::string name;  ///< name
  std::shared_ptr<const Node> a, b;
};

namespace {
using Node = Expression::Node;

// Parsing, evaluating and freeing recurse over the expression: bound its size and nesting.
constexpr size_t kMaxExpressionChars = 4096;  ///< one constraint expression, characters
constexpr int kMaxExpressionNesting = 64;     ///< brackets, 'not' and '-' inside each other
using Op = Node::Op;
using Ptr = std::shared_ptr<const Node>;

struct Token {
  enum Kind { end, number, text, word, symbol } kind = end;
  std::string s;
  size_t pos = 0;
};

class Parser {
 public:
  Parser(const std::string& text, const config::Origin& origin, const std::string& key)
      : text_(text), origin_(origin), key_(key) {
    tokenize();
  }

  Ptr parse() {
    Ptr e = disjunction();
    if (peek().kind != Token::end) fail("unexpected '" + peek().s + "'", peek().pos);
    return e;
  }

 private:
  [[noreturn]] void fail(const std::string& what, size_t pos) const {
    throw ConfigError(origin_, key_,
                      "constraint '" + text_ + "': " + what + " at character " + std::to_string(pos + 1));
  }

  void tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      char c = text_[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i + 1 < text_.size() &&
                                                                 std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
        char* end = nullptr;
        std::strtod(text_.c_str() + i, &end);
        size_t n = size_t(end - (text_.c_str() + i));
        tokens_.push_back({Token::number, text_.substr(i, n), i});
        i += n;
      } else if (c == '\'' || c == '"') {
        size_t close = text_.find(c, i + 1);
        if (close == std::string::npos) fail("unterminated quote", i);
        tokens_.push_back({Token::text, text_.substr(i + 1, close - i - 1), i});
        i = close + 1;
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t j = i;
        while (j < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_' ||
                                    text_[j] == '.'))
          ++j;
        tokens_.push_back({Token::word, text_.substr(i, j - i), i});
        i = j;
      } else {
        static const char* two[] = {"<=", ">=", "==", "!="};
        std::string sym(1, c);
        for (const char* t : two)
          if (text_.compare(i, 2, t) == 0) sym = t;
        if (sym.size() == 1 && std::string("<>+-*/%()").find(c) == std::string::npos)
          fail(std::string("unexpected character '") + c + "'", i);
        tokens_.push_back({Token::symbol, sym, i});
        i += sym.size();
      }
    }
    tokens_.push_back({Token::end, "end of text", text_.size()});
  }

  const Token& peek() const { return tokens_[at_]; }
  bool accept(Token::Kind k, const std::string& s) {
    if (peek().kind == k && peek().s == s) {
      ++at_;
      return true;
    }
    return false;
  }
  template <class F>
  Ptr nested(const F& parse) {
    if (++depth_ > kMaxExpressionNesting)
      fail("nests deeper than " + std::to_string(kMaxExpressionNesting) + " levels (the limit for constraints)",
           peek().pos);
    Ptr e = parse();
    --depth_;
    return e;
  }
  static Ptr make(Op op, Ptr a, Ptr b = nullptr) {
    auto n = std::make_shared<Node>();
    n->op = op, n->a = std::move(a), n->b = std::move(b);
    return n;
  }

  Ptr disjunction() {
    Ptr e = conjunction();
    while (accept(Token::word, "or")) e = make(Op::or_, e, conjunction());
    return e;
  }
  Ptr conjunction() {
    Ptr e = negation();
    while (accept(Token::word, "and")) e = make(Op::and_, e, negation());
    return e;
  }
  Ptr negation() {
    if (accept(Token::word, "not")) return make(Op::not_, nested([&] { return negation(); }));
    return comparison();
  }
  Ptr comparison() {
    Ptr e = sum();
    static const std::pair<const char*, Op> ops[] = {{"<=", Op::le}, {">=", Op::ge}, {"<", Op::lt},
                                                     {">", Op::gt},  {"==", Op::eq}, {"!=", Op::ne}};
    for (const auto& [s, op] : ops)
      if (accept(Token::symbol, s)) return make(op, e, sum());
    return e;
  }
  Ptr sum() {
    Ptr e = product();
    while (true) {
      if (accept(Token::symbol, "+")) e = make(Op::add, e, product());
      else if (accept(Token::symbol, "-")) e = make(Op::sub, e, product());
      else return e;
    }
  }
  Ptr product() {
    Ptr e = unary();
    while (true) {
      if (accept(Token::symbol, "*")) e = make(Op::mul, e, unary());
      else if (accept(Token::symbol, "/")) e = make(Op::div, e, unary());
      else if (accept(Token::symbol, "%")) e = make(Op::mod, e, unary());
      else return e;
    }
  }
  Ptr unary() {
    if (accept(Token::symbol, "-")) return make(Op::neg, nested([&] { return unary(); }));
    if (accept(Token::symbol, "(")) {
      Ptr e = nested([&] { return disjunction(); });
      if (!accept(Token::symbol, ")")) fail("expected ')' but found '" + peek().s + "'", peek().pos);
      return e;
    }
    Token t = peek();
    auto n = std::make_shared<Node>();
    switch (t.kind) {
      case Token::number:
        n->value = std::strtod(t.s.c_str(), nullptr);
        break;
      case Token::text:
        // A quoted quantity ('80 GiB') is a number in base units; other quoted text stays text.
        if (auto q = read_number(t.s)) n->value = q->value;
        else n->value = t.s;
        break;
      case Token::word:
        if (t.s == "true" || t.s == "false") {
          n->value = t.s == "true" ? 1.0 : 0.0;
        } else if (t.s == "and" || t.s == "or" || t.s == "not") {
          fail("expected a value before '" + t.s + "'", t.pos);
        } else {
          n->op = Op::name;
          n->name = t.s;
        }
        break;
      default:
        fail("expected a value but found '" + t.s + "'", t.pos);
    }
    ++at_;
    return n;
  }

  const std::string& text_;
  const config::Origin& origin_;
  const std::string& key_;
  std::vector<Token> tokens_;
  size_t at_ = 0;
  int depth_ = 0;
};

void collect_names(const Ptr& n, std::vector<std::string>& out) {
  if (!n) return;
  if (n->op == Op::name) out.push_back(n->name);
  collect_names(n->a, out);
  collect_names(n->b, out);
}

}  // namespace

Expression::Expression(const std::string& text, config::Origin origin, std::string key)
    : text_(text), origin_(std::move(origin)), key_(std::move(key)) {
  if (text_.size() > kMaxExpressionChars)
    throw ConfigError(origin_, key_, "a constraint of " + std::to_string(text_.size()) + " characters; the limit is " +
                                         std::to_string(kMaxExpressionChars));
  root_ = Parser(text_, origin_, key_).parse();
}

std::vector<std::string> Expression::names() const {
  std::vector<std::string> out;
  collect_names(root_, out);
  return out;
}

bool Expression::holds(const Lookup& lookup, const std::vector<std::string>& names) const {
  auto fail = [&](const std::string& what) {
    throw ConfigError(origin_, key_, "constraint '" + text_ + "': " + what);
  };
  auto number = [&](const Value& v, const char* role) {
    if (const double* d = std::get_if<double>(&v)) return *d;
    fail(std::string("'") + std::get<std::string>(v) + "' is text, not a number, so it cannot be " + role);
    return 0.0;
  };
  std::function<Value(const Ptr&)> eval = [&](const Ptr& n) -> Value {
    switch (n->op) {
      case Op::literal: return n->value;
      case Op::name: {
        std::optional<Value> v = lookup(n->name);
        if (!v) {
          std::string msg = "unknown name '" + n->name + "' (an axis name or a key of the scenario)";
          if (auto g = config::did_you_mean(n->name, names)) msg += "; did you mean '" + *g + "'?";
          fail(msg);
        }
        return *v;
      }
      case Op::neg: return -number(eval(n->a), "negated");
      case Op::not_: return number(eval(n->a), "negated") == 0 ? 1.0 : 0.0;
      case Op::and_: return number(eval(n->a), "combined with and") != 0 && number(eval(n->b), "combined with and") != 0 ? 1.0 : 0.0;
      case Op::or_: return number(eval(n->a), "combined with or") != 0 || number(eval(n->b), "combined with or") != 0 ? 1.0 : 0.0;
      case Op::eq:
      case Op::ne: {
        Value a = eval(n->a), b = eval(n->b);
        if (a.index() != b.index()) fail("compares a number with a text");
        return (a == b) == (n->op == Op::eq) ? 1.0 : 0.0;
      }
      default: break;
    }
    double a = number(eval(n->a), "used in arithmetic or an ordering");
    double b = number(eval(n->b), "used in arithmetic or an ordering");
    switch (n->op) {
      case Op::add: return a + b;
      case Op::sub: return a - b;
      case Op::mul: return a * b;
      case Op::div:
        if (b == 0) fail("division by zero");
        return a / b;
      case Op::mod:
        if (b == 0) fail("division by zero");
        return std::fmod(a, b);
      case Op::lt: return a < b ? 1.0 : 0.0;
      case Op::le: return a <= b ? 1.0 : 0.0;
      case Op::gt: return a > b ? 1.0 : 0.0;
      case Op::ge: return a >= b ? 1.0 : 0.0;
      default: return 0.0;
    }
  };
  return number(eval(root_), "a condition") != 0;
}

}  // namespace strata::sweep
