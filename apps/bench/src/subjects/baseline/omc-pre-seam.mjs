// GENERATED FILE, DO NOT EDIT. @omc/store-sqlite (with @omc/core and semver bundled in) at commit 4fd8f56, before the seam.
// How it was built: see README.md in this folder.
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/lrucache.js
var require_lrucache = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/lrucache.js"(exports, module) {
    "use strict";
    var LRUCache = class {
      constructor() {
        this.max = 1e3;
        this.map = /* @__PURE__ */ new Map();
      }
      get(key) {
        const value = this.map.get(key);
        if (value === void 0) {
          return void 0;
        } else {
          this.map.delete(key);
          this.map.set(key, value);
          return value;
        }
      }
      delete(key) {
        return this.map.delete(key);
      }
      set(key, value) {
        const deleted = this.delete(key);
        if (!deleted && value !== void 0) {
          if (this.map.size >= this.max) {
            const firstKey = this.map.keys().next().value;
            this.delete(firstKey);
          }
          this.map.set(key, value);
        }
        return this;
      }
    };
    module.exports = LRUCache;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/parse-options.js
var require_parse_options = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/parse-options.js"(exports, module) {
    "use strict";
    var looseOption = Object.freeze({ loose: true });
    var emptyOpts = Object.freeze({});
    var parseOptions = (options) => {
      if (!options) {
        return emptyOpts;
      }
      if (typeof options !== "object") {
        return looseOption;
      }
      return options;
    };
    module.exports = parseOptions;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/constants.js
var require_constants = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/constants.js"(exports, module) {
    "use strict";
    var SEMVER_SPEC_VERSION = "2.0.0";
    var MAX_LENGTH = 256;
    var MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER || /* istanbul ignore next */
    9007199254740991;
    var MAX_SAFE_COMPONENT_LENGTH = 16;
    var MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6;
    var WHITESPACE_CHARACTERS = [
      "	",
      "\n",
      "\v",
      "\f",
      "\r",
      " ",
      "\xA0",
      "\u1680",
      "\u2000",
      "\u2001",
      "\u2002",
      "\u2003",
      "\u2004",
      "\u2005",
      "\u2006",
      "\u2007",
      "\u2008",
      "\u2009",
      "\u200A",
      "\u2028",
      "\u2029",
      "\u202F",
      "\u205F",
      "\u3000",
      "\uFEFF"
    ];
    var RELEASE_TYPES = [
      "major",
      "premajor",
      "minor",
      "preminor",
      "patch",
      "prepatch",
      "prerelease"
    ];
    module.exports = {
      MAX_LENGTH,
      MAX_SAFE_COMPONENT_LENGTH,
      MAX_SAFE_BUILD_LENGTH,
      MAX_SAFE_INTEGER,
      WHITESPACE_CHARACTERS,
      RELEASE_TYPES,
      SEMVER_SPEC_VERSION,
      FLAG_INCLUDE_PRERELEASE: 1,
      FLAG_LOOSE: 2
    };
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/debug.js
var require_debug = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/debug.js"(exports, module) {
    "use strict";
    var debug = typeof process === "object" && process.env && process.env.NODE_DEBUG && /\bsemver\b/i.test(process.env.NODE_DEBUG) ? (...args) => console.error("SEMVER", ...args) : () => {
    };
    module.exports = debug;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/re.js
var require_re = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/re.js"(exports, module) {
    "use strict";
    var {
      MAX_SAFE_COMPONENT_LENGTH,
      MAX_SAFE_BUILD_LENGTH,
      MAX_LENGTH
    } = require_constants();
    var debug = require_debug();
    exports = module.exports = {};
    var re = exports.re = [];
    var safeRe = exports.safeRe = [];
    var src = exports.src = [];
    var safeSrc = exports.safeSrc = [];
    var t = exports.t = {};
    var R = 0;
    var LETTERDASHNUMBER = "[a-zA-Z0-9-]";
    var safeRegexReplacements = [
      ["\\s", 1],
      ["\\d", MAX_LENGTH],
      [LETTERDASHNUMBER, MAX_SAFE_BUILD_LENGTH]
    ];
    var makeSafeRegex = (value) => {
      for (const [token, max] of safeRegexReplacements) {
        value = value.split(`${token}*`).join(`${token}{0,${max}}`).split(`${token}+`).join(`${token}{1,${max}}`);
      }
      return value;
    };
    var createToken = (name, value, isGlobal) => {
      const safe = makeSafeRegex(value);
      const index = R++;
      debug(name, index, value);
      t[name] = index;
      src[index] = value;
      safeSrc[index] = safe;
      re[index] = new RegExp(value, isGlobal ? "g" : void 0);
      safeRe[index] = new RegExp(safe, isGlobal ? "g" : void 0);
    };
    createToken("NUMERICIDENTIFIER", "0|[1-9]\\d*");
    createToken("NUMERICIDENTIFIERLOOSE", "\\d+");
    createToken("NONNUMERICIDENTIFIER", `\\d*[a-zA-Z-]${LETTERDASHNUMBER}*`);
    createToken("MAINVERSION", `(${src[t.NUMERICIDENTIFIER]})\\.(${src[t.NUMERICIDENTIFIER]})\\.(${src[t.NUMERICIDENTIFIER]})`);
    createToken("MAINVERSIONLOOSE", `(${src[t.NUMERICIDENTIFIERLOOSE]})\\.(${src[t.NUMERICIDENTIFIERLOOSE]})\\.(${src[t.NUMERICIDENTIFIERLOOSE]})`);
    createToken("PRERELEASEIDENTIFIER", `(?:${src[t.NONNUMERICIDENTIFIER]}|${src[t.NUMERICIDENTIFIER]})`);
    createToken("PRERELEASEIDENTIFIERLOOSE", `(?:${src[t.NONNUMERICIDENTIFIER]}|${src[t.NUMERICIDENTIFIERLOOSE]})`);
    createToken("PRERELEASE", `(?:-(${src[t.PRERELEASEIDENTIFIER]}(?:\\.${src[t.PRERELEASEIDENTIFIER]})*))`);
    createToken("PRERELEASELOOSE", `(?:-?(${src[t.PRERELEASEIDENTIFIERLOOSE]}(?:\\.${src[t.PRERELEASEIDENTIFIERLOOSE]})*))`);
    createToken("BUILDIDENTIFIER", `${LETTERDASHNUMBER}+`);
    createToken("BUILD", `(?:\\+(${src[t.BUILDIDENTIFIER]}(?:\\.${src[t.BUILDIDENTIFIER]})*))`);
    createToken("FULLPLAIN", `v?${src[t.MAINVERSION]}${src[t.PRERELEASE]}?${src[t.BUILD]}?`);
    createToken("FULL", `^${src[t.FULLPLAIN]}$`);
    createToken("LOOSEPLAIN", `[v=\\s]*${src[t.MAINVERSIONLOOSE]}${src[t.PRERELEASELOOSE]}?${src[t.BUILD]}?`);
    createToken("LOOSE", `^${src[t.LOOSEPLAIN]}$`);
    createToken("GTLT", "((?:<|>)?=?)");
    createToken("XRANGEIDENTIFIERLOOSE", `${src[t.NUMERICIDENTIFIERLOOSE]}|x|X|\\*`);
    createToken("XRANGEIDENTIFIER", `${src[t.NUMERICIDENTIFIER]}|x|X|\\*`);
    createToken("XRANGEPLAIN", `[v=\\s]*(${src[t.XRANGEIDENTIFIER]})(?:\\.(${src[t.XRANGEIDENTIFIER]})(?:\\.(${src[t.XRANGEIDENTIFIER]})(?:${src[t.PRERELEASE]})?${src[t.BUILD]}?)?)?`);
    createToken("XRANGEPLAINLOOSE", `[v=\\s]*(${src[t.XRANGEIDENTIFIERLOOSE]})(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})(?:${src[t.PRERELEASELOOSE]})?${src[t.BUILD]}?)?)?`);
    createToken("XRANGE", `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAIN]}$`);
    createToken("XRANGELOOSE", `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAINLOOSE]}$`);
    createToken("COERCEPLAIN", `${"(^|[^\\d])(\\d{1,"}${MAX_SAFE_COMPONENT_LENGTH}})(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?`);
    createToken("COERCE", `${src[t.COERCEPLAIN]}(?:$|[^\\d])`);
    createToken("COERCEFULL", src[t.COERCEPLAIN] + `(?:${src[t.PRERELEASE]})?(?:${src[t.BUILD]})?(?:$|[^\\d])`);
    createToken("COERCERTL", src[t.COERCE], true);
    createToken("COERCERTLFULL", src[t.COERCEFULL], true);
    createToken("LONETILDE", "(?:~>?)");
    createToken("TILDETRIM", `(\\s*)${src[t.LONETILDE]}\\s+`, true);
    exports.tildeTrimReplace = "$1~";
    createToken("TILDE", `^${src[t.LONETILDE]}${src[t.XRANGEPLAIN]}$`);
    createToken("TILDELOOSE", `^${src[t.LONETILDE]}${src[t.XRANGEPLAINLOOSE]}$`);
    createToken("LONECARET", "(?:\\^)");
    createToken("CARETTRIM", `(\\s*)${src[t.LONECARET]}\\s+`, true);
    exports.caretTrimReplace = "$1^";
    createToken("CARET", `^${src[t.LONECARET]}${src[t.XRANGEPLAIN]}$`);
    createToken("CARETLOOSE", `^${src[t.LONECARET]}${src[t.XRANGEPLAINLOOSE]}$`);
    createToken("COMPARATORLOOSE", `^${src[t.GTLT]}\\s*(${src[t.LOOSEPLAIN]})$|^$`);
    createToken("COMPARATOR", `^${src[t.GTLT]}\\s*(${src[t.FULLPLAIN]})$|^$`);
    createToken("COMPARATORTRIM", `(\\s*)${src[t.GTLT]}\\s*(${src[t.LOOSEPLAIN]}|${src[t.XRANGEPLAIN]})`, true);
    exports.comparatorTrimReplace = "$1$2$3";
    createToken("HYPHENRANGE", `^\\s*(${src[t.XRANGEPLAIN]})\\s+-\\s+(${src[t.XRANGEPLAIN]})\\s*$`);
    createToken("HYPHENRANGELOOSE", `^\\s*(${src[t.XRANGEPLAINLOOSE]})\\s+-\\s+(${src[t.XRANGEPLAINLOOSE]})\\s*$`);
    createToken("STAR", "(<|>)?=?\\s*\\*");
    createToken("GTE0", "^\\s*>=\\s*0\\.0\\.0\\s*$");
    createToken("GTE0PRE", "^\\s*>=\\s*0\\.0\\.0-0\\s*$");
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/identifiers.js
var require_identifiers = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/identifiers.js"(exports, module) {
    "use strict";
    var numeric = /^[0-9]+$/;
    var compareIdentifiers = (a, b) => {
      if (typeof a === "number" && typeof b === "number") {
        return a === b ? 0 : a < b ? -1 : 1;
      }
      const anum = numeric.test(a);
      const bnum = numeric.test(b);
      if (anum && bnum) {
        a = +a;
        b = +b;
      }
      return a === b ? 0 : anum && !bnum ? -1 : bnum && !anum ? 1 : a < b ? -1 : 1;
    };
    var rcompareIdentifiers = (a, b) => compareIdentifiers(b, a);
    module.exports = {
      compareIdentifiers,
      rcompareIdentifiers
    };
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/classes/semver.js
var require_semver = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/classes/semver.js"(exports, module) {
    "use strict";
    var debug = require_debug();
    var { MAX_LENGTH, MAX_SAFE_INTEGER } = require_constants();
    var { safeRe: re, t } = require_re();
    var parseOptions = require_parse_options();
    var { compareIdentifiers } = require_identifiers();
    var isPrereleaseIdentifier = (prerelease, identifier) => {
      const identifiers = identifier.split(".");
      if (identifiers.length > prerelease.length) {
        return false;
      }
      for (let i = 0; i < identifiers.length; i++) {
        if (compareIdentifiers(prerelease[i], identifiers[i]) !== 0) {
          return false;
        }
      }
      return true;
    };
    var SemVer = class _SemVer {
      constructor(version, options) {
        options = parseOptions(options);
        if (version instanceof _SemVer) {
          if (version.loose === !!options.loose && version.includePrerelease === !!options.includePrerelease) {
            return version;
          } else {
            version = version.version;
          }
        } else if (typeof version !== "string") {
          throw new TypeError(`Invalid version. Must be a string. Got type "${typeof version}".`);
        }
        if (version.length > MAX_LENGTH) {
          throw new TypeError(
            `version is longer than ${MAX_LENGTH} characters`
          );
        }
        debug("SemVer", version, options);
        this.options = options;
        this.loose = !!options.loose;
        this.includePrerelease = !!options.includePrerelease;
        const m = version.trim().match(options.loose ? re[t.LOOSE] : re[t.FULL]);
        if (!m) {
          throw new TypeError(`Invalid Version: ${version}`);
        }
        this.raw = version;
        this.major = +m[1];
        this.minor = +m[2];
        this.patch = +m[3];
        if (this.major > MAX_SAFE_INTEGER || this.major < 0) {
          throw new TypeError("Invalid major version");
        }
        if (this.minor > MAX_SAFE_INTEGER || this.minor < 0) {
          throw new TypeError("Invalid minor version");
        }
        if (this.patch > MAX_SAFE_INTEGER || this.patch < 0) {
          throw new TypeError("Invalid patch version");
        }
        if (!m[4]) {
          this.prerelease = [];
        } else {
          this.prerelease = m[4].split(".").map((id) => {
            if (/^[0-9]+$/.test(id)) {
              const num = +id;
              if (num >= 0 && num < MAX_SAFE_INTEGER) {
                return num;
              }
            }
            return id;
          });
        }
        this.build = m[5] ? m[5].split(".") : [];
        this.format();
      }
      format() {
        this.version = `${this.major}.${this.minor}.${this.patch}`;
        if (this.prerelease.length) {
          this.version += `-${this.prerelease.join(".")}`;
        }
        return this.version;
      }
      toString() {
        return this.version;
      }
      compare(other) {
        debug("SemVer.compare", this.version, this.options, other);
        if (!(other instanceof _SemVer)) {
          if (typeof other === "string" && other === this.version) {
            return 0;
          }
          other = new _SemVer(other, this.options);
        }
        if (other.version === this.version) {
          return 0;
        }
        return this.compareMain(other) || this.comparePre(other);
      }
      compareMain(other) {
        if (!(other instanceof _SemVer)) {
          other = new _SemVer(other, this.options);
        }
        if (this.major < other.major) {
          return -1;
        }
        if (this.major > other.major) {
          return 1;
        }
        if (this.minor < other.minor) {
          return -1;
        }
        if (this.minor > other.minor) {
          return 1;
        }
        if (this.patch < other.patch) {
          return -1;
        }
        if (this.patch > other.patch) {
          return 1;
        }
        return 0;
      }
      comparePre(other) {
        if (!(other instanceof _SemVer)) {
          other = new _SemVer(other, this.options);
        }
        if (this.prerelease.length && !other.prerelease.length) {
          return -1;
        } else if (!this.prerelease.length && other.prerelease.length) {
          return 1;
        } else if (!this.prerelease.length && !other.prerelease.length) {
          return 0;
        }
        let i = 0;
        do {
          const a = this.prerelease[i];
          const b = other.prerelease[i];
          debug("prerelease compare", i, a, b);
          if (a === void 0 && b === void 0) {
            return 0;
          } else if (b === void 0) {
            return 1;
          } else if (a === void 0) {
            return -1;
          } else if (a === b) {
            continue;
          } else {
            return compareIdentifiers(a, b);
          }
        } while (++i);
      }
      compareBuild(other) {
        if (!(other instanceof _SemVer)) {
          other = new _SemVer(other, this.options);
        }
        let i = 0;
        do {
          const a = this.build[i];
          const b = other.build[i];
          debug("build compare", i, a, b);
          if (a === void 0 && b === void 0) {
            return 0;
          } else if (b === void 0) {
            return 1;
          } else if (a === void 0) {
            return -1;
          } else if (a === b) {
            continue;
          } else {
            return compareIdentifiers(a, b);
          }
        } while (++i);
      }
      // preminor will bump the version up to the next minor release, and immediately
      // down to pre-release. premajor and prepatch work the same way.
      inc(release, identifier, identifierBase) {
        if (release.startsWith("pre")) {
          if (!identifier && identifierBase === false) {
            throw new Error("invalid increment argument: identifier is empty");
          }
          if (identifier) {
            const match = `-${identifier}`.match(this.options.loose ? re[t.PRERELEASELOOSE] : re[t.PRERELEASE]);
            if (!match || match[1] !== identifier) {
              throw new Error(`invalid identifier: ${identifier}`);
            }
          }
        }
        switch (release) {
          case "premajor":
            this.prerelease.length = 0;
            this.patch = 0;
            this.minor = 0;
            this.major++;
            this.inc("pre", identifier, identifierBase);
            break;
          case "preminor":
            this.prerelease.length = 0;
            this.patch = 0;
            this.minor++;
            this.inc("pre", identifier, identifierBase);
            break;
          case "prepatch":
            this.prerelease.length = 0;
            this.inc("patch", identifier, identifierBase);
            this.inc("pre", identifier, identifierBase);
            break;
          // If the input is a non-prerelease version, this acts the same as
          // prepatch.
          case "prerelease":
            if (this.prerelease.length === 0) {
              this.inc("patch", identifier, identifierBase);
            }
            this.inc("pre", identifier, identifierBase);
            break;
          case "release":
            if (this.prerelease.length === 0) {
              throw new Error(`version ${this.raw} is not a prerelease`);
            }
            this.prerelease.length = 0;
            break;
          case "major":
            if (this.minor !== 0 || this.patch !== 0 || this.prerelease.length === 0) {
              this.major++;
            }
            this.minor = 0;
            this.patch = 0;
            this.prerelease = [];
            break;
          case "minor":
            if (this.patch !== 0 || this.prerelease.length === 0) {
              this.minor++;
            }
            this.patch = 0;
            this.prerelease = [];
            break;
          case "patch":
            if (this.prerelease.length === 0) {
              this.patch++;
            }
            this.prerelease = [];
            break;
          // This probably shouldn't be used publicly.
          // 1.0.0 'pre' would become 1.0.0-0 which is the wrong direction.
          case "pre": {
            const base = Number(identifierBase) ? 1 : 0;
            if (this.prerelease.length === 0) {
              this.prerelease = [base];
            } else {
              let i = this.prerelease.length;
              while (--i >= 0) {
                if (typeof this.prerelease[i] === "number") {
                  this.prerelease[i]++;
                  i = -2;
                }
              }
              if (i === -1) {
                if (identifier === this.prerelease.join(".") && identifierBase === false) {
                  throw new Error("invalid increment argument: identifier already exists");
                }
                this.prerelease.push(base);
              }
            }
            if (identifier) {
              let prerelease = [identifier, base];
              if (identifierBase === false) {
                prerelease = [identifier];
              }
              if (isPrereleaseIdentifier(this.prerelease, identifier)) {
                const prereleaseBase = this.prerelease[identifier.split(".").length];
                if (isNaN(prereleaseBase)) {
                  this.prerelease = prerelease;
                }
              } else {
                this.prerelease = prerelease;
              }
            }
            break;
          }
          default:
            throw new Error(`invalid increment argument: ${release}`);
        }
        this.raw = this.format();
        if (this.build.length) {
          this.raw += `+${this.build.join(".")}`;
        }
        return this;
      }
    };
    module.exports = SemVer;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/compare.js
var require_compare = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/compare.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var compare = (a, b, loose) => new SemVer(a, loose).compare(new SemVer(b, loose));
    module.exports = compare;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/eq.js
var require_eq = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/eq.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var eq = (a, b, loose) => compare(a, b, loose) === 0;
    module.exports = eq;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/neq.js
var require_neq = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/neq.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var neq = (a, b, loose) => compare(a, b, loose) !== 0;
    module.exports = neq;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/gt.js
var require_gt = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/gt.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var gt = (a, b, loose) => compare(a, b, loose) > 0;
    module.exports = gt;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/gte.js
var require_gte = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/gte.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var gte = (a, b, loose) => compare(a, b, loose) >= 0;
    module.exports = gte;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/lt.js
var require_lt = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/lt.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var lt = (a, b, loose) => compare(a, b, loose) < 0;
    module.exports = lt;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/lte.js
var require_lte = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/lte.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var lte = (a, b, loose) => compare(a, b, loose) <= 0;
    module.exports = lte;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/cmp.js
var require_cmp = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/cmp.js"(exports, module) {
    "use strict";
    var eq = require_eq();
    var neq = require_neq();
    var gt = require_gt();
    var gte = require_gte();
    var lt = require_lt();
    var lte = require_lte();
    var cmp = (a, op, b, loose) => {
      switch (op) {
        case "===":
          if (typeof a === "object") {
            a = a.version;
          }
          if (typeof b === "object") {
            b = b.version;
          }
          return a === b;
        case "!==":
          if (typeof a === "object") {
            a = a.version;
          }
          if (typeof b === "object") {
            b = b.version;
          }
          return a !== b;
        case "":
        case "=":
        case "==":
          return eq(a, b, loose);
        case "!=":
          return neq(a, b, loose);
        case ">":
          return gt(a, b, loose);
        case ">=":
          return gte(a, b, loose);
        case "<":
          return lt(a, b, loose);
        case "<=":
          return lte(a, b, loose);
        default:
          throw new TypeError(`Invalid operator: ${op}`);
      }
    };
    module.exports = cmp;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/classes/comparator.js
var require_comparator = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/classes/comparator.js"(exports, module) {
    "use strict";
    var ANY = /* @__PURE__ */ Symbol("SemVer ANY");
    var Comparator = class _Comparator {
      static get ANY() {
        return ANY;
      }
      constructor(comp, options) {
        options = parseOptions(options);
        if (comp instanceof _Comparator) {
          if (comp.loose === !!options.loose) {
            return comp;
          } else {
            comp = comp.value;
          }
        }
        comp = comp.trim().split(/\s+/).join(" ");
        debug("comparator", comp, options);
        this.options = options;
        this.loose = !!options.loose;
        this.parse(comp);
        if (this.semver === ANY) {
          this.value = "";
        } else {
          this.value = this.operator + this.semver.version;
        }
        debug("comp", this);
      }
      parse(comp) {
        const r = this.options.loose ? re[t.COMPARATORLOOSE] : re[t.COMPARATOR];
        const m = comp.match(r);
        if (!m) {
          throw new TypeError(`Invalid comparator: ${comp}`);
        }
        this.operator = m[1] !== void 0 ? m[1] : "";
        if (this.operator === "=") {
          this.operator = "";
        }
        if (!m[2]) {
          this.semver = ANY;
        } else {
          this.semver = new SemVer(m[2], this.options.loose);
        }
      }
      toString() {
        return this.value;
      }
      test(version) {
        debug("Comparator.test", version, this.options.loose);
        if (this.semver === ANY || version === ANY) {
          return true;
        }
        if (typeof version === "string") {
          try {
            version = new SemVer(version, this.options);
          } catch (er) {
            return false;
          }
        }
        return cmp(version, this.operator, this.semver, this.options);
      }
      intersects(comp, options) {
        if (!(comp instanceof _Comparator)) {
          throw new TypeError("a Comparator is required");
        }
        if (this.operator === "") {
          if (this.value === "") {
            return true;
          }
          return new Range(comp.value, options).test(this.value);
        } else if (comp.operator === "") {
          if (comp.value === "") {
            return true;
          }
          return new Range(this.value, options).test(comp.semver);
        }
        options = parseOptions(options);
        if (options.includePrerelease && (this.value === "<0.0.0-0" || comp.value === "<0.0.0-0")) {
          return false;
        }
        if (!options.includePrerelease && (this.value.startsWith("<0.0.0") || comp.value.startsWith("<0.0.0"))) {
          return false;
        }
        if (this.operator.startsWith(">") && comp.operator.startsWith(">")) {
          return true;
        }
        if (this.operator.startsWith("<") && comp.operator.startsWith("<")) {
          return true;
        }
        if (this.semver.version === comp.semver.version && this.operator.includes("=") && comp.operator.includes("=")) {
          return true;
        }
        if (cmp(this.semver, "<", comp.semver, options) && this.operator.startsWith(">") && comp.operator.startsWith("<")) {
          return true;
        }
        if (cmp(this.semver, ">", comp.semver, options) && this.operator.startsWith("<") && comp.operator.startsWith(">")) {
          return true;
        }
        return false;
      }
    };
    module.exports = Comparator;
    var parseOptions = require_parse_options();
    var { safeRe: re, t } = require_re();
    var cmp = require_cmp();
    var debug = require_debug();
    var SemVer = require_semver();
    var Range = require_range();
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/trim-comparator-whitespace.js
var require_trim_comparator_whitespace = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/internal/trim-comparator-whitespace.js"(exports, module) {
    "use strict";
    var {
      MAX_LENGTH,
      MAX_SAFE_BUILD_LENGTH,
      WHITESPACE_CHARACTERS
    } = require_constants();
    var whitespace = new Uint8Array(65536);
    for (const char of WHITESPACE_CHARACTERS) {
      whitespace[char.charCodeAt(0)] = 1;
    }
    var isWhitespace = (char) => char !== void 0 && whitespace[char.charCodeAt(0)] === 1;
    var isVersionPrefix = (char) => char === "v" || char === "=" || isWhitespace(char);
    var isDigit = (char) => char !== void 0 && char >= "0" && char <= "9";
    var isLetter = (char) => char !== void 0 && (char >= "a" && char <= "z" || char >= "A" && char <= "Z");
    var isIdentifierCharacter = (char) => isDigit(char) || isLetter(char) || char === "-";
    var isVersionStart = (char) => isDigit(char) || char === "x" || char === "X" || char === "*";
    var findDigitsEndIndex = (range, start, limit, digitRuns) => {
      if (!isDigit(range[start])) {
        return start;
      }
      if (start >= digitRuns.start && start < digitRuns.end) {
        return Math.min(start + limit, digitRuns.end);
      }
      if (start >= digitRuns.previousStart && start < digitRuns.previousEnd) {
        return Math.min(start + limit, digitRuns.previousEnd);
      }
      let end = start + 1;
      while (isDigit(range[end])) {
        end++;
      }
      digitRuns.previousStart = digitRuns.start;
      digitRuns.previousEnd = digitRuns.end;
      digitRuns.start = start;
      digitRuns.end = end;
      return Math.min(start + limit, end);
    };
    var findVersionNumberEndIndex = (range, start, loose, digitRuns) => {
      if (!loose && range[start] === "0") {
        return start + 1;
      }
      return findDigitsEndIndex(range, start, loose ? MAX_LENGTH : MAX_LENGTH + 1, digitRuns);
    };
    var findPrereleaseIdentifierEndIndex = (range, start, loose, digitRuns) => {
      const digitsEnd = findDigitsEndIndex(range, start, MAX_LENGTH, digitRuns);
      if (isLetter(range[digitsEnd]) || range[digitsEnd] === "-") {
        let end = digitsEnd + 1;
        const limit = end + MAX_SAFE_BUILD_LENGTH;
        while (end < limit && isIdentifierCharacter(range[end])) {
          end++;
        }
        return end;
      }
      return findVersionNumberEndIndex(range, start, loose, digitRuns);
    };
    var findPrereleaseEndIndex = (range, start, loose, digitRuns) => {
      const hyphen = range[start] === "-";
      if (!loose && !hyphen) {
        return start;
      }
      const identifierStart = start + (hyphen ? 1 : 0);
      let end = findPrereleaseIdentifierEndIndex(range, identifierStart, loose, digitRuns);
      if (end === identifierStart) {
        if (!loose || !hyphen) {
          return start;
        }
        end = findPrereleaseIdentifierEndIndex(range, start, loose, digitRuns);
      }
      while (range[end] === ".") {
        const next = findPrereleaseIdentifierEndIndex(range, end + 1, loose, digitRuns);
        if (next === end + 1) {
          break;
        }
        end = next;
      }
      return end;
    };
    var findBuildIdentifierEndIndex = (range, start) => {
      let end = start;
      while (end - start < MAX_SAFE_BUILD_LENGTH && isIdentifierCharacter(range[end])) {
        end++;
      }
      return end;
    };
    var findBuildEndIndex = (range, start) => {
      if (range[start] !== "+") {
        return start;
      }
      let end = findBuildIdentifierEndIndex(range, start + 1);
      if (end === start + 1) {
        return start;
      }
      while (range[end] === ".") {
        const next = findBuildIdentifierEndIndex(range, end + 1);
        if (next === end + 1) {
          break;
        }
        end = next;
      }
      return end;
    };
    var findLooseFullVersionEndIndex = (range, start, digitRuns) => {
      let end = start;
      for (let component = 0; component < 3; component++) {
        const next = findVersionNumberEndIndex(range, end, true, digitRuns);
        if (next === end) {
          return start;
        }
        end = next;
        if (component < 2) {
          if (range[end] !== ".") {
            return start;
          }
          end++;
        }
      }
      const prereleaseEnd = findPrereleaseEndIndex(range, end, true, digitRuns);
      return findBuildEndIndex(range, prereleaseEnd);
    };
    var findPartialVersionComponentEndIndex = (range, start, digitRuns) => {
      if (isDigit(range[start])) {
        return findVersionNumberEndIndex(range, start, false, digitRuns);
      }
      return isVersionStart(range[start]) ? start + 1 : start;
    };
    var findPartialVersionEndIndex = (range, start, digitRuns) => {
      let end = findPartialVersionComponentEndIndex(range, start, digitRuns);
      for (let component = 0; component < 2; component++) {
        if (range[end] !== ".") {
          return end;
        }
        const next = findPartialVersionComponentEndIndex(range, end + 1, digitRuns);
        if (next === end + 1) {
          return end;
        }
        end = next;
      }
      const prereleaseEnd = findPrereleaseEndIndex(range, end, false, digitRuns);
      return findBuildEndIndex(range, prereleaseEnd);
    };
    var findVersionEndIndex = (range, start, digitRuns) => {
      const fullVersionEnd = findLooseFullVersionEndIndex(range, start, digitRuns);
      return fullVersionEnd !== start ? fullVersionEnd : findPartialVersionEndIndex(range, start, digitRuns);
    };
    var findRemovableWhitespaceIndex = (range, matchStart) => {
      let position = matchStart;
      if (isWhitespace(range[position])) {
        position++;
      }
      if (range[position] === "<" || range[position] === ">") {
        position++;
      }
      if (range[position] === "=") {
        position++;
      }
      return isWhitespace(range[position]) ? position : -1;
    };
    var trimComparatorWhitespace = (range) => {
      let result = "";
      let copyFrom = 0;
      let cursor = 0;
      const digitRuns = { start: -1, end: -1, previousStart: -1, previousEnd: -1 };
      while (cursor < range.length) {
        const matchStart = cursor;
        if (range[cursor] === "<" || range[cursor] === ">") {
          cursor++;
        } else if (!isVersionPrefix(range[cursor]) && !isVersionStart(range[cursor])) {
          cursor++;
          continue;
        }
        while (cursor < range.length && isVersionPrefix(range[cursor])) {
          cursor++;
        }
        if (!isVersionStart(range[cursor])) {
          continue;
        }
        const whitespacePosition = findRemovableWhitespaceIndex(range, matchStart);
        if (whitespacePosition !== -1) {
          result += range.slice(copyFrom, whitespacePosition);
          copyFrom = whitespacePosition + 1;
        }
        cursor = findVersionEndIndex(range, cursor, digitRuns);
      }
      return result + range.slice(copyFrom);
    };
    module.exports = trimComparatorWhitespace;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/classes/range.js
var require_range = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/classes/range.js"(exports, module) {
    "use strict";
    var SPACE_CHARACTERS = /\s+/g;
    var Range = class _Range {
      constructor(range, options) {
        options = parseOptions(options);
        if (range instanceof _Range) {
          if (range.loose === !!options.loose && range.includePrerelease === !!options.includePrerelease) {
            return range;
          } else {
            return new _Range(range.raw, options);
          }
        }
        if (range instanceof Comparator) {
          this.raw = range.value;
          this.set = [[range]];
          this.formatted = void 0;
          return this;
        }
        this.options = options;
        this.loose = !!options.loose;
        this.includePrerelease = !!options.includePrerelease;
        this.raw = range.trim().replace(SPACE_CHARACTERS, " ");
        this.set = this.raw.split("||").map((r) => this.parseRange(r.trim())).filter((c) => c.length);
        if (!this.set.length) {
          throw new TypeError(`Invalid SemVer Range: ${this.raw}`);
        }
        if (this.set.length > 1) {
          const first = this.set[0];
          this.set = this.set.filter((c) => !isNullSet(c[0]));
          if (this.set.length === 0) {
            this.set = [first];
          } else if (this.set.length > 1) {
            for (const c of this.set) {
              if (c.length === 1 && isAny(c[0])) {
                this.set = [c];
                break;
              }
            }
          }
        }
        this.formatted = void 0;
      }
      get range() {
        if (this.formatted === void 0) {
          this.formatted = "";
          for (let i = 0; i < this.set.length; i++) {
            if (i > 0) {
              this.formatted += "||";
            }
            const comps = this.set[i];
            for (let k = 0; k < comps.length; k++) {
              if (k > 0) {
                this.formatted += " ";
              }
              this.formatted += comps[k].toString().trim();
            }
          }
        }
        return this.formatted;
      }
      format() {
        return this.range;
      }
      toString() {
        return this.range;
      }
      parseRange(range) {
        range = range.replace(BUILDSTRIPRE, "");
        const memoOpts = (this.options.includePrerelease && FLAG_INCLUDE_PRERELEASE) | (this.options.loose && FLAG_LOOSE);
        const memoKey = memoOpts + ":" + range;
        const cached = cache.get(memoKey);
        if (cached) {
          return cached;
        }
        const loose = this.options.loose;
        const hr = loose ? re[t.HYPHENRANGELOOSE] : re[t.HYPHENRANGE];
        range = range.replace(hr, hyphenReplace(this.options.includePrerelease));
        debug("hyphen replace", range);
        range = trimComparatorWhitespace(range);
        debug("comparator trim", range);
        range = range.replace(re[t.TILDETRIM], tildeTrimReplace);
        debug("tilde trim", range);
        range = range.replace(re[t.CARETTRIM], caretTrimReplace);
        debug("caret trim", range);
        let rangeList = range.split(" ").map((comp) => parseComparator(comp, this.options)).join(" ").split(/\s+/).map((comp) => replaceGTE0(comp, this.options));
        if (loose) {
          rangeList = rangeList.filter((comp) => {
            debug("loose invalid filter", comp, this.options);
            return !!comp.match(re[t.COMPARATORLOOSE]);
          });
        }
        debug("range list", rangeList);
        const rangeMap = /* @__PURE__ */ new Map();
        const comparators = rangeList.map((comp) => new Comparator(comp, this.options));
        for (const comp of comparators) {
          if (isNullSet(comp)) {
            return [comp];
          }
          rangeMap.set(comp.value, comp);
        }
        if (rangeMap.size > 1 && rangeMap.has("")) {
          rangeMap.delete("");
        }
        const result = [...rangeMap.values()];
        cache.set(memoKey, result);
        return result;
      }
      intersects(range, options) {
        if (!(range instanceof _Range)) {
          throw new TypeError("a Range is required");
        }
        return this.set.some((thisComparators) => {
          return isSatisfiable(thisComparators, options) && range.set.some((rangeComparators) => {
            return isSatisfiable(rangeComparators, options) && thisComparators.every((thisComparator) => {
              return rangeComparators.every((rangeComparator) => {
                return thisComparator.intersects(rangeComparator, options);
              });
            });
          });
        });
      }
      // if ANY of the sets match ALL of its comparators, then pass
      test(version) {
        if (!version) {
          return false;
        }
        if (typeof version === "string") {
          try {
            version = new SemVer(version, this.options);
          } catch (er) {
            return false;
          }
        }
        for (let i = 0; i < this.set.length; i++) {
          if (testSet(this.set[i], version, this.options)) {
            return true;
          }
        }
        return false;
      }
    };
    module.exports = Range;
    var LRU = require_lrucache();
    var cache = new LRU();
    var parseOptions = require_parse_options();
    var Comparator = require_comparator();
    var debug = require_debug();
    var SemVer = require_semver();
    var trimComparatorWhitespace = require_trim_comparator_whitespace();
    var {
      safeRe: re,
      src,
      t,
      tildeTrimReplace,
      caretTrimReplace
    } = require_re();
    var { FLAG_INCLUDE_PRERELEASE, FLAG_LOOSE } = require_constants();
    var BUILDSTRIPRE = new RegExp(src[t.BUILD], "g");
    var isNullSet = (c) => c.value === "<0.0.0-0";
    var isAny = (c) => c.value === "";
    var isSatisfiable = (comparators, options) => {
      let result = true;
      const remainingComparators = comparators.slice();
      let testComparator = remainingComparators.pop();
      while (result && remainingComparators.length) {
        result = remainingComparators.every((otherComparator) => {
          return testComparator.intersects(otherComparator, options);
        });
        testComparator = remainingComparators.pop();
      }
      return result;
    };
    var parseComparator = (comp, options) => {
      comp = comp.replace(re[t.BUILD], "");
      debug("comp", comp, options);
      comp = replaceCarets(comp, options);
      debug("caret", comp);
      comp = replaceTildes(comp, options);
      debug("tildes", comp);
      comp = replaceXRanges(comp, options);
      debug("xrange", comp);
      comp = replaceStars(comp, options);
      debug("stars", comp);
      return comp;
    };
    var isX = (id) => !id || id.toLowerCase() === "x" || id === "*";
    var invalidXRangeOrder = (M, m, p) => isX(M) && !isX(m) || isX(m) && p && !isX(p);
    var replaceTildes = (comp, options) => {
      return comp.trim().split(/\s+/).map((c) => replaceTilde(c, options)).join(" ");
    };
    var replaceTilde = (comp, options) => {
      const r = options.loose ? re[t.TILDELOOSE] : re[t.TILDE];
      const z = options.includePrerelease ? "-0" : "";
      return comp.replace(r, (_, M, m, p, pr) => {
        debug("tilde", comp, _, M, m, p, pr);
        let ret;
        if (isX(M)) {
          ret = "";
        } else if (isX(m)) {
          ret = `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
        } else if (isX(p)) {
          ret = `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`;
        } else if (pr) {
          debug("replaceTilde pr", pr);
          ret = `>=${M}.${m}.${p}-${pr} <${M}.${+m + 1}.0-0`;
        } else {
          ret = `>=${M}.${m}.${p} <${M}.${+m + 1}.0-0`;
        }
        debug("tilde return", ret);
        return ret;
      });
    };
    var replaceCarets = (comp, options) => {
      return comp.trim().split(/\s+/).map((c) => replaceCaret(c, options)).join(" ");
    };
    var replaceCaret = (comp, options) => {
      debug("caret", comp, options);
      const r = options.loose ? re[t.CARETLOOSE] : re[t.CARET];
      const z = options.includePrerelease ? "-0" : "";
      return comp.replace(r, (_, M, m, p, pr) => {
        debug("caret", comp, _, M, m, p, pr);
        let ret;
        if (isX(M)) {
          ret = "";
        } else if (isX(m)) {
          ret = `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
        } else if (isX(p)) {
          if (M === "0") {
            ret = `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`;
          } else {
            ret = `>=${M}.${m}.0${z} <${+M + 1}.0.0-0`;
          }
        } else if (pr) {
          debug("replaceCaret pr", pr);
          if (M === "0") {
            if (m === "0") {
              ret = `>=${M}.${m}.${p}-${pr} <${M}.${m}.${+p + 1}-0`;
            } else {
              ret = `>=${M}.${m}.${p}-${pr} <${M}.${+m + 1}.0-0`;
            }
          } else {
            ret = `>=${M}.${m}.${p}-${pr} <${+M + 1}.0.0-0`;
          }
        } else {
          debug("no pr");
          if (M === "0") {
            if (m === "0") {
              ret = `>=${M}.${m}.${p} <${M}.${m}.${+p + 1}-0`;
            } else {
              ret = `>=${M}.${m}.${p} <${M}.${+m + 1}.0-0`;
            }
          } else {
            ret = `>=${M}.${m}.${p} <${+M + 1}.0.0-0`;
          }
        }
        debug("caret return", ret);
        return ret;
      });
    };
    var replaceXRanges = (comp, options) => {
      debug("replaceXRanges", comp, options);
      return comp.split(/\s+/).map((c) => replaceXRange(c, options)).join(" ");
    };
    var replaceXRange = (comp, options) => {
      comp = comp.trim();
      const r = options.loose ? re[t.XRANGELOOSE] : re[t.XRANGE];
      return comp.replace(r, (ret, gtlt, M, m, p, pr) => {
        debug("xRange", comp, ret, gtlt, M, m, p, pr);
        if (invalidXRangeOrder(M, m, p)) {
          return comp;
        }
        const xM = isX(M);
        const xm = xM || isX(m);
        const xp = xm || isX(p);
        const anyX = xp;
        if (gtlt === "=" && anyX) {
          gtlt = "";
        }
        pr = options.includePrerelease ? "-0" : "";
        if (xM) {
          if (gtlt === ">" || gtlt === "<") {
            ret = "<0.0.0-0";
          } else {
            ret = "*";
          }
        } else if (gtlt && anyX) {
          if (xm) {
            m = 0;
          }
          p = 0;
          if (gtlt === ">") {
            gtlt = ">=";
            if (xm) {
              M = +M + 1;
              m = 0;
              p = 0;
            } else {
              m = +m + 1;
              p = 0;
            }
          } else if (gtlt === "<=") {
            gtlt = "<";
            if (xm) {
              M = +M + 1;
            } else {
              m = +m + 1;
            }
          }
          if (gtlt === "<") {
            pr = "-0";
          }
          ret = `${gtlt + M}.${m}.${p}${pr}`;
        } else if (xm) {
          ret = `>=${M}.0.0${pr} <${+M + 1}.0.0-0`;
        } else if (xp) {
          ret = `>=${M}.${m}.0${pr} <${M}.${+m + 1}.0-0`;
        }
        debug("xRange return", ret);
        return ret;
      });
    };
    var replaceStars = (comp, options) => {
      debug("replaceStars", comp, options);
      return comp.trim().replace(re[t.STAR], "");
    };
    var replaceGTE0 = (comp, options) => {
      debug("replaceGTE0", comp, options);
      return comp.trim().replace(re[options.includePrerelease ? t.GTE0PRE : t.GTE0], "");
    };
    var hyphenReplace = (incPr) => ($0, from, fM, fm, fp, fpr, fb, to, tM, tm, tp, tpr) => {
      if (isX(fM)) {
        from = "";
      } else if (isX(fm)) {
        from = `>=${fM}.0.0${incPr ? "-0" : ""}`;
      } else if (isX(fp)) {
        from = `>=${fM}.${fm}.0${incPr ? "-0" : ""}`;
      } else if (fpr) {
        from = `>=${from}`;
      } else {
        from = `>=${from}${incPr ? "-0" : ""}`;
      }
      if (isX(tM)) {
        to = "";
      } else if (isX(tm)) {
        to = `<${+tM + 1}.0.0-0`;
      } else if (isX(tp)) {
        to = `<${tM}.${+tm + 1}.0-0`;
      } else if (tpr) {
        to = `<=${tM}.${tm}.${tp}-${tpr}`;
      } else if (incPr) {
        to = `<${tM}.${tm}.${+tp + 1}-0`;
      } else {
        to = `<=${to}`;
      }
      return `${from} ${to}`.trim();
    };
    var testSet = (set, version, options) => {
      for (let i = 0; i < set.length; i++) {
        if (!set[i].test(version)) {
          return false;
        }
      }
      if (version.prerelease.length && !options.includePrerelease) {
        for (let i = 0; i < set.length; i++) {
          debug(set[i].semver);
          if (set[i].semver === Comparator.ANY) {
            continue;
          }
          if (set[i].semver.prerelease.length > 0) {
            const allowed = set[i].semver;
            if (allowed.major === version.major && allowed.minor === version.minor && allowed.patch === version.patch) {
              return true;
            }
          }
        }
        return false;
      }
      return true;
    };
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/satisfies.js
var require_satisfies = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/functions/satisfies.js"(exports, module) {
    "use strict";
    var Range = require_range();
    var satisfies2 = (version, range, options) => {
      try {
        range = new Range(range, options);
      } catch (er) {
        return false;
      }
      return range.test(version);
    };
    module.exports = satisfies2;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/ranges/outside.js
var require_outside = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/ranges/outside.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var Comparator = require_comparator();
    var { ANY } = Comparator;
    var Range = require_range();
    var satisfies2 = require_satisfies();
    var gt = require_gt();
    var lt = require_lt();
    var lte = require_lte();
    var gte = require_gte();
    var outside = (version, range, hilo, options) => {
      version = new SemVer(version, options);
      range = new Range(range, options);
      let gtfn, ltefn, ltfn, comp, ecomp;
      switch (hilo) {
        case ">":
          gtfn = gt;
          ltefn = lte;
          ltfn = lt;
          comp = ">";
          ecomp = ">=";
          break;
        case "<":
          gtfn = lt;
          ltefn = gte;
          ltfn = gt;
          comp = "<";
          ecomp = "<=";
          break;
        default:
          throw new TypeError('Must provide a hilo val of "<" or ">"');
      }
      if (satisfies2(version, range, options)) {
        return false;
      }
      for (let i = 0; i < range.set.length; ++i) {
        const comparators = range.set[i];
        let high = null;
        let low = null;
        comparators.forEach((comparator) => {
          if (comparator.semver === ANY) {
            comparator = new Comparator(">=0.0.0");
          }
          high = high || comparator;
          low = low || comparator;
          if (gtfn(comparator.semver, high.semver, options)) {
            high = comparator;
          } else if (ltfn(comparator.semver, low.semver, options)) {
            low = comparator;
          }
        });
        if (high.operator === comp || high.operator === ecomp) {
          return false;
        }
        if ((!low.operator || low.operator === comp) && ltefn(version, low.semver)) {
          return false;
        } else if (low.operator === ecomp && ltfn(version, low.semver)) {
          return false;
        }
      }
      return true;
    };
    module.exports = outside;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/ranges/ltr.js
var require_ltr = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/ranges/ltr.js"(exports, module) {
    "use strict";
    var outside = require_outside();
    var ltr = (version, range, options) => outside(version, range, "<", options);
    module.exports = ltr;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/ranges/min-version.js
var require_min_version = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/ranges/min-version.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var Range = require_range();
    var gt = require_gt();
    var minVersion2 = (range, loose) => {
      range = new Range(range, loose);
      let minver = new SemVer("0.0.0");
      if (range.test(minver)) {
        return minver;
      }
      minver = new SemVer("0.0.0-0");
      if (range.test(minver)) {
        return minver;
      }
      minver = null;
      for (let i = 0; i < range.set.length; ++i) {
        const comparators = range.set[i];
        let setMin = null;
        comparators.forEach((comparator) => {
          const compver = new SemVer(comparator.semver.version);
          switch (comparator.operator) {
            case ">":
              if (compver.prerelease.length === 0) {
                compver.patch++;
              } else {
                compver.prerelease.push(0);
              }
              compver.raw = compver.format();
            /* fallthrough */
            case "":
            case ">=":
              if (!setMin || gt(compver, setMin)) {
                setMin = compver;
              }
              break;
            case "<":
            case "<=":
              break;
            /* istanbul ignore next */
            default:
              throw new Error(`Unexpected operation: ${comparator.operator}`);
          }
        });
        if (setMin && (!minver || gt(minver, setMin))) {
          minver = setMin;
        }
      }
      if (minver && range.test(minver)) {
        return minver;
      }
      return null;
    };
    module.exports = minVersion2;
  }
});

// ../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/ranges/valid.js
var require_valid = __commonJS({
  "../../node_modules/.pnpm/semver@7.8.6/node_modules/semver/ranges/valid.js"(exports, module) {
    "use strict";
    var Range = require_range();
    var validRange2 = (range, options) => {
      try {
        return new Range(range, options).range || "*";
      } catch (er) {
        return null;
      }
    };
    module.exports = validRange2;
  }
});

// ../core/dist/chunk-CFUR66SO.js
var ChangeListeners = class {
  constructor(hooks = {}) {
    this.hooks = hooks;
  }
  hooks;
  listeners = /* @__PURE__ */ new Set();
  scheduled = false;
  closed = false;
  /** How many listeners there are. */
  get size() {
    return this.listeners.size;
  }
  /** Something changed: tell the listeners once, after the current synchronous work (and its burst) ends. */
  changed() {
    if (this.listeners.size === 0 || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.deliver);
  }
  /** Add a listener; the returned function removes it (twice is harmless, after close too). */
  subscribe(listener) {
    const entry = () => listener();
    this.listeners.add(entry);
    if (this.listeners.size === 1) this.hooks.onFirst?.();
    return () => {
      if (this.listeners.delete(entry) && this.listeners.size === 0) this.hooks.onLast?.();
    };
  }
  /** No call after this, not even one already scheduled. */
  close() {
    this.closed = true;
    if (this.listeners.size > 0) this.hooks.onLast?.();
    this.listeners.clear();
  }
  deliver = () => {
    this.scheduled = false;
    if (this.closed) return;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };
};
var systemClock = Object.freeze({ now: () => Date.now() });
var TaskStatus = {
  PENDING: "pending",
  CLAIMED: "claimed",
  IN_PROGRESS: "in_progress",
  COMPLETED: "completed",
  FAILED: "failed",
  CANCELLED: "cancelled"
};
var TaskPriority = {
  LOW: 0,
  MEDIUM: 1,
  HIGH: 2,
  CRITICAL: 3
};
var TASK_STATUSES = Object.freeze(Object.values(TaskStatus));
var TASK_PRIORITIES = Object.freeze(Object.values(TaskPriority));
var STATS_KEY = Object.freeze({
  pending: "pending",
  claimed: "claimed",
  in_progress: "inProgress",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled"
});
function emptyStats() {
  return { total: 0, pending: 0, claimed: 0, inProgress: 0, completed: 0, failed: 0, cancelled: 0 };
}
function isEnded(status) {
  return status === TaskStatus.FAILED || status === TaskStatus.CANCELLED;
}
function dependantsEffect(from, to) {
  if (from === to) return void 0;
  if (to === TaskStatus.COMPLETED) return "release";
  return isEnded(to) && !isEnded(from) ? to : void 0;
}
function endedAs(status) {
  return status === TaskStatus.FAILED ? "failed" : "was cancelled";
}
var MARKER = /* @__PURE__ */ Symbol.for("omc.error");
var OmcError = class extends Error {
  /** Stable code, for programs. */
  code;
  /** The task concerned, where there is one. */
  taskId;
  constructor(code, message, options) {
    super(message, options?.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.taskId = options?.taskId;
    Object.defineProperty(this, MARKER, { value: true });
  }
  /** True for any omc error, across package copies. */
  static isInstance(error) {
    return typeof error === "object" && error !== null && error[MARKER] === true;
  }
};
var InvalidInputError = class extends OmcError {
  field;
  constructor(field, message, options) {
    super("OMC_INVALID_INPUT", message, options);
    this.field = field;
  }
  static isInstance(error) {
    return OmcError.isInstance(error) && error.code === "OMC_INVALID_INPUT";
  }
};
var InvalidTransitionError = class extends OmcError {
  from;
  to;
  constructor(taskId, from, to, message) {
    super("OMC_INVALID_TRANSITION", message, { taskId });
    this.from = from;
    this.to = to;
  }
  static isInstance(error) {
    return OmcError.isInstance(error) && error.code === "OMC_INVALID_TRANSITION";
  }
};
var StoreClosedError = class extends OmcError {
  constructor(operation) {
    super("OMC_STORE_CLOSED", `Cannot ${operation}: the task store is closed. Open a new one.`);
  }
};
var NotADatabaseError = class extends OmcError {
  path;
  constructor(path, cause) {
    super(
      "OMC_NOT_A_DATABASE",
      `${path} is not a SQLite database (or is encrypted or corrupt). It was left untouched; pass the path of an omc database or a new file.`,
      { cause }
    );
    this.path = path;
  }
};
var SchemaTooNewError = class extends OmcError {
  found;
  supported;
  constructor(path, found, supported) {
    super(
      "OMC_SCHEMA_TOO_NEW",
      `${path} has schema version ${found}, but this omc understands up to ${supported}. It was left untouched; upgrade omc to open it.`
    );
    this.found = found;
    this.supported = supported;
  }
};
var ForeignDatabaseError = class extends OmcError {
  path;
  constructor(path, detail) {
    super(
      "OMC_FOREIGN_DATABASE",
      `${path} is a SQLite database that omc did not create (${detail}). It was left untouched; use a new file for the task pool.`
    );
    this.path = path;
  }
};
var StorageError = class extends OmcError {
  constructor(message, options) {
    super("OMC_STORAGE", message, options);
  }
};
var DatabaseCorruptError = class extends OmcError {
  path;
  problem;
  /** What the check reported, line by line (empty when SQLite gave no detail). */
  findings;
  constructor(path, problem, message, options) {
    super("OMC_DATABASE_CORRUPT", message, options);
    this.path = path;
    this.problem = problem;
    this.findings = options?.findings ?? [];
  }
  static isInstance(error) {
    return OmcError.isInstance(error) && error.code === "OMC_DATABASE_CORRUPT";
  }
};
var ReadOnlyDatabaseError = class extends OmcError {
  path;
  problem;
  constructor(path, problem, message, options) {
    super("OMC_READ_ONLY", message, options);
    this.path = path;
    this.problem = problem;
  }
  static isInstance(error) {
    return OmcError.isInstance(error) && error.code === "OMC_READ_ONLY";
  }
};
var DiskFullError = class extends OmcError {
  path;
  constructor(path, message, options) {
    super("OMC_DISK_FULL", message, options);
    this.path = path;
  }
  static isInstance(error) {
    return OmcError.isInstance(error) && error.code === "OMC_DISK_FULL";
  }
};
var DatabaseBusyError = class extends OmcError {
  path;
  constructor(path, message, options) {
    super("OMC_DATABASE_BUSY", message, options);
    this.path = path;
  }
  static isInstance(error) {
    return OmcError.isInstance(error) && error.code === "OMC_DATABASE_BUSY";
  }
};
var NativeDriverError = class extends OmcError {
  problem;
  /** The driver package, e.g. `better-sqlite3`. */
  driver;
  /** Its installed version (`undefined` when it is not installed). */
  driverVersion;
  /** This process's Node.js version. */
  nodeVersion;
  constructor(problem, message, details) {
    super("OMC_NATIVE_DRIVER", message, { cause: details.cause });
    this.problem = problem;
    this.driver = details.driver;
    this.driverVersion = details.driverVersion;
    this.nodeVersion = details.nodeVersion;
  }
  static isInstance(error) {
    return OmcError.isInstance(error) && error.code === "OMC_NATIVE_DRIVER";
  }
};
var LeaseLostError = class extends OmcError {
  reason;
  /** The task's status when the write was refused (`undefined` when it was deleted). */
  status;
  constructor(taskId, reason, status, message) {
    super("OMC_LEASE_LOST", message, { taskId });
    this.reason = reason;
    this.status = status;
  }
  static isInstance(error) {
    return OmcError.isInstance(error) && error.code === "OMC_LEASE_LOST";
  }
};
function unknownCursor(after) {
  return new InvalidInputError(
    "filter.after",
    `filter.after names task ${after}, which does not exist (deleted since the last page?). Restart paging from the first page.`,
    { taskId: after }
  );
}
function taskIdTaken(id) {
  return new InvalidInputError("id", `A task with id ${id} already exists; choose a new id.`, { taskId: id });
}
function selfDependency(id) {
  return new InvalidInputError("dependsOn", `Task ${id} cannot depend on itself.`, { taskId: id });
}
function unknownDependency(dependency, taskId) {
  return new InvalidInputError(
    "dependsOn",
    `dependsOn names task ${dependency}, which does not exist; create it first (or earlier in the same batch).`,
    { taskId }
  );
}
var { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;
var DEFAULT_LEASE_POLICY = Object.freeze({
  leaseMs: 5 * 6e4,
  maxAttempts: 3,
  backoff: Object.freeze({ baseMs: 1e3, maxMs: 5 * 6e4 })
});
function backoffDelayMs(attempt, backoff, random) {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * ceiling / 2);
}
function attemptDeadline(task) {
  return task.timeoutMs === void 0 || task.startedAt === void 0 ? void 0 : task.startedAt + task.timeoutMs;
}
function leaseExpiry(task, now, leaseMs) {
  const renewed = now + (task.leaseMs ?? leaseMs);
  const deadline = attemptDeadline(task);
  return deadline === void 0 ? renewed : Math.min(renewed, deadline);
}
function leaseEndedByTimeout(task) {
  const deadline = attemptDeadline(task);
  return deadline !== void 0 && task.leaseExpiresAt !== void 0 && deadline <= task.leaseExpiresAt;
}
function isLeaseExpired(task, now) {
  return (task.status === CLAIMED || task.status === IN_PROGRESS) && task.leaseExpiresAt !== void 0 && task.leaseExpiresAt <= now;
}
function leaseLoss(task, lease, now) {
  const id = lease.id;
  if (!task) return new LeaseLostError(id, "deleted", void 0, `Task ${id} no longer exists; stop working on it.`);
  const { status } = task;
  if (task.leaseToken !== lease.leaseToken) {
    return new LeaseLostError(
      id,
      "superseded",
      status,
      `Task ${id} was claimed again (claim ${task.leaseToken}, yours was ${lease.leaseToken}); your lease is gone and nothing was written. Stop working on it.`
    );
  }
  if (status === CANCELLED) {
    return new LeaseLostError(id, "cancelled", status, `Task ${id} was cancelled; stop working on it.`);
  }
  if (status === COMPLETED || status === FAILED) {
    return new LeaseLostError(id, "finished", status, `Task ${id} is already ${status}; nothing was written.`);
  }
  if (status === PENDING) {
    return new LeaseLostError(
      id,
      "requeued",
      status,
      `Task ${id} went back to pending (released, or its lease expired); nothing was written.`
    );
  }
  if (isLeaseExpired(task, now)) {
    return leaseEndedByTimeout(task) ? new LeaseLostError(
      id,
      "timed_out",
      status,
      `Task ${id} timed out: attempt ${task.attempts} passed its ${task.timeoutMs} ms limit; nothing was written.`
    ) : new LeaseLostError(
      id,
      "expired",
      status,
      `The lease on task ${id} expired at ${new Date(task.leaseExpiresAt).toISOString()} without a heartbeat; nothing was written. Heartbeat more often than the lease length.`
    );
  }
  return void 0;
}
function assertLeaseHeld(task, lease, now) {
  const lost = leaseLoss(task, lease, now);
  if (lost) throw lost;
}
function planAttemptFailure(task, error, now, retry, runAt) {
  const base = { ...task, error, updatedAt: now, leaseExpiresAt: void 0, result: void 0 };
  if (retry && task.attempts < task.maxAttempts) {
    return { ...base, status: PENDING, assignedAgent: void 0, startedAt: void 0, runAt };
  }
  return { ...base, status: FAILED, completedAt: now };
}
function planFailure(task, error, now, policy, random, retry = true) {
  return planAttemptFailure(task, error, now, retry, now + backoffDelayMs(task.attempts, policy.backoff, random));
}
function planRelease(task, now) {
  return {
    ...task,
    status: PENDING,
    assignedAgent: void 0,
    startedAt: void 0,
    updatedAt: now,
    leaseExpiresAt: void 0,
    attempts: Math.max(0, task.attempts - 1)
  };
}
function planCancel(task, now) {
  if (task.status === COMPLETED || task.status === FAILED || task.status === CANCELLED) {
    throw new InvalidTransitionError(
      task.id,
      task.status,
      CANCELLED,
      `Task ${task.id} is already ${task.status}; only unfinished tasks can be cancelled.`
    );
  }
  return { ...task, status: CANCELLED, updatedAt: now, leaseExpiresAt: void 0, runAt: void 0 };
}
function planRetry(task, now, runAt) {
  if (task.status !== FAILED && task.status !== CANCELLED) {
    throw new InvalidTransitionError(
      task.id,
      task.status,
      PENDING,
      `Task ${task.id} is ${task.status}; only failed or cancelled tasks can be retried.`
    );
  }
  return {
    ...task,
    status: PENDING,
    assignedAgent: void 0,
    startedAt: void 0,
    completedAt: void 0,
    result: void 0,
    updatedAt: now,
    attempts: 0,
    runAt: runAt !== void 0 && runAt > now ? runAt : void 0
  };
}
function transitionRecord(before, after, at, reason) {
  return {
    taskId: before.id,
    from: before.status,
    to: after.status,
    agent: after.assignedAgent ?? before.assignedAgent,
    attempt: Math.max(before.attempts, after.attempts),
    at,
    reason
  };
}
function resolveLeaseOptions(options = {}) {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidInputError("options", `Store options must be an object (or left out), got ${shown(options)}.`);
  }
  const positive = (field, value, fallback) => {
    if (value === void 0) return fallback;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw new InvalidInputError(field, `${field} must be a positive integer, got ${shown(value)}.`);
    }
    return value;
  };
  const backoff = options.backoff;
  if (backoff !== void 0 && (typeof backoff !== "object" || backoff === null || Array.isArray(backoff))) {
    throw new InvalidInputError(
      "backoff",
      `backoff must be an object such as { baseMs: 1000, maxMs: 300000 } (or left out), got ${shown(backoff)}.`
    );
  }
  const { baseMs: rawBase, maxMs: rawMax } = backoff ?? {};
  const baseMs = positive("backoff.baseMs", rawBase, DEFAULT_LEASE_POLICY.backoff.baseMs);
  const maxMs = positive("backoff.maxMs", rawMax, Math.max(baseMs, DEFAULT_LEASE_POLICY.backoff.maxMs));
  if (maxMs < baseMs) {
    throw new InvalidInputError(
      "backoff.maxMs",
      `backoff.maxMs (${maxMs}) must be at least backoff.baseMs (${baseMs}).`
    );
  }
  if (options.random !== void 0 && typeof options.random !== "function") {
    throw new InvalidInputError("random", "random must be a function returning a number in [0, 1).");
  }
  return {
    policy: {
      leaseMs: positive("leaseMs", options.leaseMs, DEFAULT_LEASE_POLICY.leaseMs),
      maxAttempts: positive("maxAttempts", options.maxAttempts, DEFAULT_LEASE_POLICY.maxAttempts),
      backoff: { baseMs, maxMs }
    },
    random: options.random ?? Math.random
  };
}
function shown(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}\u2026` : value);
  if (typeof value === "number") return String(value);
  return `a ${typeof value}`;
}
var HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
var randomBlock = new Uint8Array(2560);
var randomOffset = randomBlock.length;
function takeRandom(count) {
  if (randomOffset + count > randomBlock.length) {
    globalThis.crypto.getRandomValues(randomBlock);
    randomOffset = 0;
  }
  const start = randomOffset;
  randomOffset += count;
  return start;
}
var lastMs = 0;
var sequence = 0;
function newTaskId() {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    sequence = randomBlock[takeRandom(1)] << 3;
  } else {
    ms = lastMs;
    sequence++;
    if (sequence > 4095) {
      lastMs = ms = lastMs + 1;
      sequence = 0;
    }
  }
  const r = takeRandom(8);
  const b = randomBlock;
  const high = Math.floor(ms / 16777216);
  const low = ms % 16777216;
  return HEX[high >>> 16 & 255] + HEX[high >>> 8 & 255] + HEX[high & 255] + HEX[low >>> 16 & 255] + "-" + HEX[low >>> 8 & 255] + HEX[low & 255] + "-" + HEX[112 | sequence >>> 8] + HEX[sequence & 255] + "-" + HEX[128 | b[r] & 63] + HEX[b[r + 1]] + "-" + HEX[b[r + 2]] + HEX[b[r + 3]] + HEX[b[r + 4]] + HEX[b[r + 5]] + HEX[b[r + 6]] + HEX[b[r + 7]];
}
function newPendingTask(input, now, defaults = DEFAULT_LEASE_POLICY) {
  return {
    id: input.id ?? newTaskId(),
    title: input.title,
    description: input.description,
    status: TaskStatus.PENDING,
    priority: input.priority,
    assignedAgent: void 0,
    createdAt: now,
    updatedAt: now,
    startedAt: void 0,
    completedAt: void 0,
    result: void 0,
    error: void 0,
    metadata: input.metadataJson === void 0 ? void 0 : JSON.parse(input.metadataJson),
    attempts: 0,
    maxAttempts: input.maxAttempts ?? defaults.maxAttempts,
    // A time already past is "now": the task is ready, not delayed.
    runAt: input.runAt !== void 0 && input.runAt > now ? input.runAt : void 0,
    leaseToken: 0,
    leaseExpiresAt: void 0,
    leaseMs: input.leaseMs,
    timeoutMs: input.timeoutMs,
    idempotencyKey: input.idempotencyKey,
    requires: input.requires,
    dependsOn: input.dependsOn
  };
}
var TASK_STORE_SPECIFICATION_VERSION = "v3";
var { PENDING: PENDING2, CLAIMED: CLAIMED2, IN_PROGRESS: IN_PROGRESS2, COMPLETED: COMPLETED2, FAILED: FAILED2, CANCELLED: CANCELLED2 } = TaskStatus;
var TRANSITIONS = Object.freeze({
  [PENDING2]: [CLAIMED2, CANCELLED2],
  [CLAIMED2]: [IN_PROGRESS2, COMPLETED2, FAILED2, CANCELLED2, PENDING2],
  [IN_PROGRESS2]: [COMPLETED2, FAILED2, CANCELLED2, PENDING2],
  [COMPLETED2]: [],
  [FAILED2]: [],
  [CANCELLED2]: []
});
function canTransition(from, to) {
  return TRANSITIONS[from].includes(to);
}
function isTerminal(status) {
  return TRANSITIONS[status].length === 0;
}
function statusEffect(status) {
  return {
    claims: status === CLAIMED2,
    finishes: status === COMPLETED2 || status === FAILED2,
    resets: status === PENDING2
  };
}
function statusChangeInputError(taskId, update) {
  const to = update.status;
  if (to === void 0) return void 0;
  const effect = statusEffect(to);
  if (effect.claims && update.assignedAgent === void 0) {
    return new InvalidInputError(
      "assignedAgent",
      `Task ${taskId}: claiming needs an agent; call claimTask(agentName) or pass assignedAgent.`,
      { taskId }
    );
  }
  return effect.resets ? pendingFieldError(taskId, update) : void 0;
}
function pendingFieldError(taskId, update) {
  for (const field of ["assignedAgent", "result", "error"]) {
    if (update[field] !== void 0) {
      return new InvalidInputError(field, `Task ${taskId}: a pending task has no ${field}; omit it.`, { taskId });
    }
  }
  return void 0;
}
function planUpdate(current, update, now, leaseMs = DEFAULT_LEASE_POLICY.leaseMs) {
  const from = current.status;
  const to = update.status ?? from;
  const next = { ...current, updatedAt: now };
  if (isTerminal(from)) {
    const touchesMoreThanMetadata = update.status !== void 0 || update.assignedAgent !== void 0 || update.result !== void 0 || update.error !== void 0;
    if (touchesMoreThanMetadata) {
      throw new InvalidTransitionError(
        current.id,
        from,
        to,
        to === from ? `Task ${current.id} is already ${from}, which is final; only its metadata can change. Create a new task to run the work again.` : `Task ${current.id} is ${from}, which is final; it cannot become ${to}. Create a new task to run the work again.`
      );
    }
  } else if (to !== from) {
    if (!canTransition(from, to)) {
      throw new InvalidTransitionError(
        current.id,
        from,
        to,
        `Task ${current.id} cannot go from ${from} to ${to}. Allowed from ${from}: ${TRANSITIONS[from].join(", ")}.`
      );
    }
    const inputError = statusChangeInputError(current.id, update);
    if (inputError) throw inputError;
    const effect = statusEffect(to);
    next.status = to;
    if (effect.resets) {
      next.assignedAgent = void 0;
      next.startedAt = void 0;
      next.completedAt = void 0;
      next.result = void 0;
      next.error = void 0;
      next.runAt = void 0;
    }
    if (to !== CLAIMED2 && to !== IN_PROGRESS2) next.leaseExpiresAt = void 0;
    if (effect.claims) {
      next.startedAt = now;
      next.runAt = void 0;
      next.attempts = current.attempts + 1;
      next.leaseToken = current.leaseToken + 1;
      next.leaseExpiresAt = leaseExpiry(next, now, leaseMs);
    }
    if (effect.finishes) next.completedAt = now;
  } else if (to === PENDING2) {
    const inputError = pendingFieldError(current.id, update);
    if (inputError) throw inputError;
  }
  if (update.assignedAgent !== void 0) next.assignedAgent = update.assignedAgent;
  if (update.result !== void 0) next.result = update.result;
  if (update.error !== void 0) next.error = update.error;
  if (update.metadata !== void 0) next.metadata = update.metadata;
  return next;
}
var DEFAULT_MAX_METADATA_BYTES = 256 * 1024;
var DEFAULT_LIMITS = Object.freeze({ maxMetadataBytes: DEFAULT_MAX_METADATA_BYTES });
function resolveStoreOptions(options) {
  return readingInput("options", () => unguardedResolveStoreOptions(options));
}
function unguardedResolveStoreOptions(options) {
  const raw2 = validateOptions("The store constructor", options);
  const clock = raw2.clock;
  if (clock !== void 0 && (typeof clock !== "object" || clock === null || typeof clock.now !== "function")) {
    throw new InvalidInputError(
      "clock",
      `clock must be an object with a now() method returning epoch ms, got ${describe(clock)}.`
    );
  }
  const maxMetadataBytes = raw2.maxMetadataBytes;
  if (maxMetadataBytes !== void 0 && (typeof maxMetadataBytes !== "number" || !Number.isSafeInteger(maxMetadataBytes) || maxMetadataBytes < 1)) {
    throw new InvalidInputError(
      "maxMetadataBytes",
      `maxMetadataBytes must be a positive integer (UTF-8 bytes of JSON), got ${describe(maxMetadataBytes)}.`
    );
  }
  const { policy, random } = resolveLeaseOptions(raw2);
  return {
    clock: clock ?? systemClock,
    limits: { maxMetadataBytes: maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES },
    policy,
    random
  };
}
var MAX_REQUIRED_CAPABILITIES = 32;
var MAX_CAPABILITY_LENGTH = 64;
var MAX_DEPENDENCIES = 1e3;
var MAX_IDEMPOTENCY_KEY_LENGTH = 255;
function isOwnError(error) {
  try {
    return error instanceof InvalidInputError;
  } catch {
    return false;
  }
}
function thrownMessage(error) {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "a value that cannot be shown";
  }
}
function readingInput(field, check, taskId) {
  try {
    return check();
  } catch (error) {
    if (isOwnError(error)) throw error;
    throw new InvalidInputError(
      field,
      `${field} could not be read (${thrownMessage(error)}); pass plain data: objects and arrays without getters or Proxies that throw.`,
      { taskId, cause: error }
    );
  }
}
var MAX_DURATION_MS = 2 ** 31 - 1;
function describe(value) {
  if (value === null) return "null";
  if (value === void 0) return "undefined";
  if (typeof value === "number") return String(value);
  try {
    if (Array.isArray(value)) return "an array";
  } catch {
    return "a revoked Proxy";
  }
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}\u2026` : value);
  return `a ${typeof value}`;
}
var LONE_SURROGATE = /[\uD800-\uDFFF]/u;
function isWellFormedText(value) {
  return !LONE_SURROGATE.test(value);
}
function requireWellFormed(field, value, taskId, where = field) {
  if (!isWellFormedText(value)) {
    const at = value.search(LONE_SURROGATE);
    throw new InvalidInputError(
      field,
      `${where} is not well-formed Unicode: a lone surrogate at index ${at} (text cut in the middle of a character?); it would be stored as U+FFFD. Pass text that round-trips (string.toWellFormed() replaces it).`,
      { taskId }
    );
  }
  return value;
}
function requireText(field, value, taskId) {
  if (typeof value !== "string" || value.trim().length === 0) {
    throw new InvalidInputError(field, `${field} must be a non-empty string, got ${describe(value)}.`, { taskId });
  }
  return requireWellFormed(field, value, taskId);
}
function optionalString(field, value, taskId) {
  if (value === void 0) return void 0;
  if (typeof value !== "string") {
    throw new InvalidInputError(field, `${field} must be a string, got ${describe(value)}.`, { taskId });
  }
  return requireWellFormed(field, value, taskId);
}
function isTaskPriority(value) {
  return TASK_PRIORITIES.includes(value);
}
function isTaskStatus(value) {
  return TASK_STATUSES.includes(value);
}
function requirePriority(field, value, taskId) {
  if (!isTaskPriority(value)) {
    throw new InvalidInputError(
      field,
      `${field} must be an integer from 0 (LOW) to 3 (CRITICAL), got ${describe(value)}. Use TaskPriority.LOW \u2026 TaskPriority.CRITICAL.`,
      { taskId }
    );
  }
  return value === 0 ? 0 : value;
}
function requireStatus(field, value, taskId) {
  if (!isTaskStatus(value)) {
    throw new InvalidInputError(field, `${field} must be one of ${TASK_STATUSES.join(", ")}, got ${describe(value)}.`, {
      taskId
    });
  }
  return value;
}
function isPlainObject(value) {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
var MAX_METADATA_DEPTH = 64;
function pathStep(key) {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
function copyPlainData(root, rootPath) {
  const holder = {};
  const onPath = /* @__PURE__ */ new Set();
  const stack = [{ value: root, path: rootPath, depth: 0, inArray: false, parent: holder, key: "root" }];
  const problem = (text2) => ({ problem: text2 });
  for (let frame = stack.pop(); frame !== void 0; frame = stack.pop()) {
    if (frame.leave) {
      onPath.delete(frame.leave);
      continue;
    }
    const { value, path, depth, inArray, parent, key } = frame;
    switch (typeof value) {
      case "string":
        if (!isWellFormedText(value)) return problem(`${path} has a lone surrogate, which is stored as U+FFFD`);
        setCopy(parent, key, value);
        continue;
      case "boolean":
        setCopy(parent, key, value);
        continue;
      case "number":
        if (!Number.isFinite(value)) return problem(`${path} is ${value}, which JSON turns into null`);
        if (Object.is(value, -0)) return problem(`${path} is -0, which JSON turns into 0`);
        setCopy(parent, key, value);
        continue;
      case "bigint":
        return problem(`${path} is a BigInt, which JSON cannot encode; store it as a string`);
      case "function":
        return problem(`${path} is a function, which JSON drops`);
      case "symbol":
        return problem(`${path} is a symbol, which JSON drops`);
      case "undefined":
        if (inArray) return problem(`${path} is undefined, which JSON turns into null`);
        continue;
    }
    if (value === null) {
      setCopy(parent, key, null);
      continue;
    }
    const object = value;
    if (onPath.has(object)) return problem(`${path} refers back to itself (a cycle)`);
    const isArray = Array.isArray(object);
    if (isArray ? Object.getPrototypeOf(object) !== Array.prototype : !isPlainObject(object)) {
      const kind = object.constructor?.name || "object with a prototype";
      return problem(
        `${path} is a ${kind}, which JSON does not keep; convert it to plain data (a Date to date.toISOString(), a Map to Object.fromEntries(map))`
      );
    }
    if (depth >= MAX_METADATA_DEPTH) {
      return problem(`${path} is nested more than ${MAX_METADATA_DEPTH} levels deep, the limit; flatten it`);
    }
    if (Object.getOwnPropertySymbols(object).length > 0) return problem(`${path} has a symbol key, which JSON drops`);
    onPath.add(object);
    stack.push({ value: void 0, path, depth, inArray: false, parent, key, leave: object });
    if (isArray) {
      const array = object;
      if (Object.keys(array).length > array.length) {
        return problem(`${path} is an array with named properties, which JSON drops`);
      }
      const copy = new Array(array.length);
      setCopy(parent, key, copy);
      for (let i = array.length - 1; i >= 0; i--) {
        if (!(i in array)) return problem(`${path}[${i}] is a hole (a sparse array), which JSON turns into null`);
        stack.push({ value: array[i], path: `${path}[${i}]`, depth: depth + 1, inArray: true, parent: copy, key: i });
      }
    } else {
      const copy = {};
      setCopy(parent, key, copy);
      const entries = Object.entries(object);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [name, child] = entries[i];
        if (!isWellFormedText(name))
          return problem(`${path} has a key with a lone surrogate, which is stored as U+FFFD`);
        const at = `${path}${pathStep(name)}`;
        stack.push({ value: child, path: at, depth: depth + 1, inArray: false, parent: copy, key: name });
      }
    }
  }
  return { copy: holder.root };
}
function setCopy(parent, key, value) {
  if (key === "__proto__") {
    Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    parent[key] = value;
  }
}
var encoder = new TextEncoder();
function serialiseMetadata(value, limits = DEFAULT_LIMITS, taskId) {
  return readingInput("metadata", () => unguardedSerialiseMetadata(value, limits, taskId), taskId);
}
function unguardedSerialiseMetadata(value, limits = DEFAULT_LIMITS, taskId) {
  if (value === void 0) return { metadata: void 0, json: void 0 };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidInputError("metadata", `metadata must be a plain object, got ${describe(value)}.`, { taskId });
  }
  const { copy, problem } = copyPlainData(value, "metadata");
  if (problem !== void 0) {
    throw new InvalidInputError("metadata", `metadata is not JSON-serialisable: ${problem}.`, { taskId });
  }
  let json;
  try {
    json = JSON.stringify(copy);
  } catch (error) {
    throw new InvalidInputError(
      "metadata",
      `metadata cannot be serialised (${error.message}), far over the limit of ${limits.maxMetadataBytes} bytes.`,
      { taskId, cause: error }
    );
  }
  if (json.length * 3 > limits.maxMetadataBytes) {
    const bytes = encoder.encode(json).length;
    if (bytes > limits.maxMetadataBytes) {
      throw new InvalidInputError(
        "metadata",
        `metadata is ${bytes} bytes as JSON, over the limit of ${limits.maxMetadataBytes}. Store large payloads elsewhere and keep a reference, or raise maxMetadataBytes.`,
        { taskId }
      );
    }
  }
  return { metadata: copy, json };
}
function validateCreateInput(input, limits = DEFAULT_LIMITS) {
  return readingInput("input", () => unguardedValidateCreateInput(input, limits));
}
function unguardedValidateCreateInput(input, limits = DEFAULT_LIMITS) {
  if (typeof input !== "object" || input === null) {
    throw new InvalidInputError(
      "input",
      `createTask needs an object with a title and a description, got ${describe(input)}.`
    );
  }
  const raw2 = input;
  const title = requireText("title", raw2.title);
  const description = requireText("description", raw2.description);
  const priority = raw2.priority === void 0 ? TaskPriority.MEDIUM : requirePriority("priority", raw2.priority);
  const { metadata, json } = serialiseMetadata(raw2.metadata, limits);
  const maxAttempts = optionalInteger("maxAttempts", raw2.maxAttempts, 1, 1e4);
  const runAt = optionalInteger("runAt", raw2.runAt, 0);
  const leaseMs = optionalInteger("leaseMs", raw2.leaseMs, 1, MAX_DURATION_MS);
  const timeoutMs = optionalInteger("timeoutMs", raw2.timeoutMs, 1, MAX_DURATION_MS);
  let idempotencyKey;
  if (raw2.idempotencyKey !== void 0) {
    idempotencyKey = requireText("idempotencyKey", raw2.idempotencyKey);
    if (idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new InvalidInputError(
        "idempotencyKey",
        `idempotencyKey is ${idempotencyKey.length} characters, over the limit of ${MAX_IDEMPOTENCY_KEY_LENGTH}; use a hash of it.`
      );
    }
  }
  return {
    id: validateNewTaskId(raw2.id),
    title,
    description,
    priority,
    metadata,
    metadataJson: json,
    maxAttempts,
    runAt,
    leaseMs,
    timeoutMs,
    idempotencyKey,
    requires: validateCapabilities("requires", raw2.requires),
    dependsOn: validateDependsOn(raw2.dependsOn)
  };
}
function validateCapabilities(field, value) {
  return readingInput(field, () => unguardedValidateCapabilities(field, value));
}
function unguardedValidateCapabilities(field, value) {
  if (value === void 0) return void 0;
  if (!Array.isArray(value)) {
    throw new InvalidInputError(field, `${field} must be an array of capability names, got ${describe(value)}.`);
  }
  if (value.length > MAX_REQUIRED_CAPABILITIES) {
    throw new InvalidInputError(
      field,
      `${field} lists ${value.length} capabilities, over the limit of ${MAX_REQUIRED_CAPABILITIES}.`
    );
  }
  const names = /* @__PURE__ */ new Set();
  for (const [index, name] of value.entries()) {
    if (typeof name !== "string" || name.trim().length === 0) {
      throw new InvalidInputError(field, `${field}[${index}] must be a non-empty string, got ${describe(name)}.`);
    }
    if (name.length > MAX_CAPABILITY_LENGTH) {
      throw new InvalidInputError(
        field,
        `${field}[${index}] is ${name.length} characters, over the limit of ${MAX_CAPABILITY_LENGTH}.`
      );
    }
    names.add(requireWellFormed(field, name, void 0, `${field}[${index}]`));
  }
  return names.size === 0 ? void 0 : [...names].sort();
}
var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
function validateNewTaskId(value) {
  if (value === void 0) return void 0;
  if (typeof value !== "string" || !UUID.test(value)) {
    throw new InvalidInputError(
      "id",
      `id must be a lowercase UUID (e.g. from newTaskId()), got ${describe(value)}; or omit it for a fresh one.`
    );
  }
  return value;
}
function validateDependsOn(value) {
  if (value === void 0) return void 0;
  if (!Array.isArray(value)) {
    throw new InvalidInputError("dependsOn", `dependsOn must be an array of task ids, got ${describe(value)}.`);
  }
  if (value.length > MAX_DEPENDENCIES) {
    throw new InvalidInputError(
      "dependsOn",
      `dependsOn lists ${value.length} tasks, over the limit of ${MAX_DEPENDENCIES}; make an intermediate task.`
    );
  }
  const ids = /* @__PURE__ */ new Set();
  for (const [index, id] of value.entries()) {
    if (typeof id !== "string" || id.trim().length === 0) {
      throw new InvalidInputError("dependsOn", `dependsOn[${index}] must be a task id, got ${describe(id)}.`);
    }
    requireWellFormed("dependsOn", id, void 0, `dependsOn[${index}]`);
    if (ids.has(id)) {
      throw new InvalidInputError("dependsOn", `dependsOn lists task ${id} twice; list each dependency once.`);
    }
    ids.add(id);
  }
  return ids.size === 0 ? void 0 : [...ids];
}
function optionalInteger(field, value, min, max = Number.MAX_SAFE_INTEGER, taskId) {
  if (value === void 0) return void 0;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `\u2265 ${min}` : `from ${min} to ${max}`;
    throw new InvalidInputError(field, `${field} must be an integer ${range}, got ${describe(value)}.`, { taskId });
  }
  return value;
}
function validateCreateInputs(inputs, limits = DEFAULT_LIMITS) {
  return readingInput("inputs", () => unguardedValidateCreateInputs(inputs, limits));
}
function unguardedValidateCreateInputs(inputs, limits = DEFAULT_LIMITS) {
  const items = requireGroup("inputs", inputs);
  return items.map((input, index) => {
    if (typeof input !== "object" || input === null) {
      throw new InvalidInputError(
        items.length === 1 ? "input" : `inputs[${index}]`,
        `${items.length === 1 ? "createTask" : `createTasks' inputs[${index}]`} needs an object with a title and a description, got ${describe(input)}.`
      );
    }
    return validateCreateInput(input, limits);
  });
}
function requireGroup(field, items) {
  if (!Array.isArray(items)) {
    throw new InvalidInputError(field, `${field} must be an array, got ${describe(items)}.`);
  }
  const dense = [];
  for (let index = 0; index < items.length; index++) {
    if (!(index in items)) {
      throw new InvalidInputError(
        `${field}[${index}]`,
        `${field}[${index}] is a hole (a sparse array); pass an array of items without gaps.`
      );
    }
    dense.push(items[index]);
  }
  return dense;
}
function validateLeases(leases) {
  return readingInput("leases", () => unguardedValidateLeases(leases));
}
function unguardedValidateLeases(leases) {
  return requireGroup("leases", leases).map((lease, index) => validateLease(lease, `leases[${index}]`));
}
function validateCompletions(completions) {
  return readingInput("completions", () => unguardedValidateCompletions(completions));
}
function unguardedValidateCompletions(completions) {
  return requireGroup("completions", completions).map((completion, index) => {
    if (typeof completion !== "object" || completion === null) {
      throw new InvalidInputError(
        `completions[${index}]`,
        `completions[${index}] must be { lease, result? }, got ${describe(completion)}.`
      );
    }
    const { lease: rawLease, result } = completion;
    const lease = validateLease(rawLease, `completions[${index}].lease`);
    return { ...lease, result: validateOptionalText(`completions[${index}].result`, result, lease.id) };
  });
}
function validateLease(lease, field = "lease") {
  return readingInput(field, () => unguardedValidateLease(lease, field));
}
function unguardedValidateLease(lease, field = "lease") {
  if (typeof lease !== "object" || lease === null) {
    throw new InvalidInputError(
      field,
      `${field === "lease" ? "" : `${field}: `}Expected the claimed task (or { id, leaseToken }) that claimTask returned, got ${describe(lease)}.`
    );
  }
  const raw2 = lease;
  const id = requireText(`${field}.id`, raw2.id);
  const leaseToken = optionalInteger(`${field}.leaseToken`, raw2.leaseToken, 1, Number.MAX_SAFE_INTEGER, id);
  if (leaseToken === void 0) {
    throw new InvalidInputError(
      `${field}.leaseToken`,
      `The lease on task ${id} has no leaseToken; pass the claimed task.`,
      {
        taskId: id
      }
    );
  }
  return { id, leaseToken };
}
function validateOptions(method, options) {
  return readingInput("options", () => unguardedValidateOptions(method, options));
}
function unguardedValidateOptions(method, options) {
  if (options === void 0) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidInputError(
      "options",
      `${method}'s options must be an object (or left out), got ${describe(options)}.`
    );
  }
  return { ...options };
}
function validateOptionalBoolean(field, value, taskId) {
  if (value === void 0 || typeof value === "boolean") return value;
  throw new InvalidInputError(field, `${field} must be true or false, got ${describe(value)}.`, { taskId });
}
function validateTime(field, value, taskId) {
  return optionalInteger(field, value, 0, Number.MAX_SAFE_INTEGER, taskId);
}
function validateText(field, value, taskId) {
  return requireText(field, value, taskId);
}
function validateOptionalText(field, value, taskId) {
  return optionalString(field, value, taskId);
}
function validateUpdateInput(taskId, update, limits = DEFAULT_LIMITS) {
  return readingInput("update", () => unguardedValidateUpdateInput(taskId, update, limits), taskId);
}
function unguardedValidateUpdateInput(taskId, update, limits = DEFAULT_LIMITS) {
  if (typeof update !== "object" || update === null || Array.isArray(update)) {
    throw new InvalidInputError("update", `updateTask needs an object of fields to change, got ${describe(update)}.`, {
      taskId
    });
  }
  const raw2 = update;
  const valid = {};
  if (raw2.status !== void 0) valid.status = requireStatus("status", raw2.status, taskId);
  if (raw2.assignedAgent !== void 0) valid.assignedAgent = requireText("assignedAgent", raw2.assignedAgent, taskId);
  const result = optionalString("result", raw2.result, taskId);
  if (result !== void 0) valid.result = result;
  const error = optionalString("error", raw2.error, taskId);
  if (error !== void 0) valid.error = error;
  if (raw2.metadata !== void 0) {
    const { metadata, json } = serialiseMetadata(raw2.metadata, limits, taskId);
    valid.metadata = metadata;
    valid.metadataJson = json;
  }
  return valid;
}
var MAX_CLAIM_BATCH = 1e3;
function validateClaimLimit(limit) {
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_CLAIM_BATCH) {
    throw new InvalidInputError(
      "limit",
      `limit must be an integer from 1 to ${MAX_CLAIM_BATCH} (tasks to claim at once), got ${describe(limit)}.`
    );
  }
  return limit;
}
function validateClaimOptions(options) {
  return readingInput("options", () => unguardedValidateClaimOptions(options));
}
function unguardedValidateClaimOptions(options) {
  if (options === void 0) return { capabilities: void 0, exclusive: false };
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidInputError(
      "options",
      `Claim options must be an object such as { capabilities: ['code'] }, got ${describe(options)}.`
    );
  }
  const raw2 = options;
  if (raw2.exclusive !== void 0 && typeof raw2.exclusive !== "boolean") {
    throw new InvalidInputError("exclusive", `exclusive must be true or false, got ${describe(raw2.exclusive)}.`);
  }
  const exclusive = raw2.exclusive === true;
  if (raw2.capabilities === void 0) {
    if (exclusive) {
      throw new InvalidInputError(
        "exclusive",
        "An exclusive claim takes only tasks requiring its capabilities; pass capabilities with it."
      );
    }
    return { capabilities: void 0, exclusive };
  }
  return { capabilities: validateCapabilities("capabilities", raw2.capabilities) ?? [], exclusive };
}
function validateTaskId(id) {
  return requireText("id", id);
}
function validateAgentName(agentName) {
  return requireText("agentName", agentName);
}
function validateFilter(filter) {
  return readingInput("filter", () => unguardedValidateFilter(filter));
}
function unguardedValidateFilter(filter) {
  if (filter === void 0) return {};
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
    throw new InvalidInputError("filter", `getTasks takes an optional filter object, got ${describe(filter)}.`);
  }
  const raw2 = filter;
  const valid = {};
  if (raw2.status !== void 0) valid.status = requireStatus("filter.status", raw2.status);
  if (raw2.priority !== void 0) valid.priority = requirePriority("filter.priority", raw2.priority);
  if (raw2.assignedAgent !== void 0) valid.assignedAgent = requireText("filter.assignedAgent", raw2.assignedAgent);
  const limit = optionalInteger("filter.limit", raw2.limit, 1);
  if (limit !== void 0) valid.limit = limit;
  const offset = optionalInteger("filter.offset", raw2.offset, 0);
  if (offset !== void 0) valid.offset = offset;
  if (raw2.after !== void 0) {
    valid.after = requireText("filter.after", raw2.after);
    if (offset !== void 0) {
      throw new InvalidInputError("filter.offset", "Use after (a cursor) or offset to page, not both.");
    }
  }
  return valid;
}

// src/migrations.ts
import { sql as sql3 } from "kysely";

// src/history-codec.ts
import { sql } from "kysely";
var CODE_LENGTH = 2;
var STATUS_BY_CODE = new Map(
  TASK_STATUSES.map((status) => [status.slice(0, CODE_LENGTH), status])
);
if (STATUS_BY_CODE.size !== TASK_STATUSES.length) {
  throw new Error("omc internal error: two statuses share their first two letters");
}
function codeOf(status) {
  return typeof status === "string" ? sql.lit(status.slice(0, CODE_LENGTH)) : sql`substr(${status}, 1, 2)`;
}
function optionalJson(value, prefix = "") {
  if (value === void 0) return sql`''`;
  return sql`case when ${value} is null then '' else ${sql.lit(prefix)} || json_quote(${value}) end`;
}
function historyPlusLine(line) {
  return sql`coalesce(history, '') || ${codeOf(line.from)} || ${codeOf(line.to)} || cast(${line.attempt} as integer) || '.' || cast(${line.at} - created_at as integer) || ${optionalJson(line.agent)} || ${optionalJson(line.reason, "!")} || char(10)`;
}
function encodeHistoryLine(step, createdAt) {
  const agent = step.agent === void 0 ? "" : JSON.stringify(step.agent);
  const reason = step.reason === void 0 ? "" : `!${JSON.stringify(step.reason)}`;
  const from = step.from.slice(0, CODE_LENGTH);
  const to = step.to.slice(0, CODE_LENGTH);
  return `${from}${to}${step.attempt}.${step.at - createdAt}${agent}${reason}
`;
}
var HOLDER_PREFIX = "@";
function readHolder(line, taskId) {
  try {
    const agent = JSON.parse(line.slice(HOLDER_PREFIX.length));
    if (typeof agent === "string") return agent;
  } catch {
  }
  throw new Error(`Task ${taskId} has a history line omc cannot read: ${JSON.stringify(line)}`);
}
var LINE = /^([a-z_]{2})([a-z_]{2})(\d+)\.(-?\d+)("(?:[^"\\]|\\.)*")?(?:!("(?:[^"\\]|\\.)*"))?$/;
function decodeHistory(text2, taskId, createdAt) {
  const steps = [];
  let holder;
  for (const line of (text2 ?? "").split("\n")) {
    if (line === "") continue;
    if (line.startsWith(HOLDER_PREFIX)) {
      holder = readHolder(line, taskId);
      continue;
    }
    const match = LINE.exec(line);
    const from = match && STATUS_BY_CODE.get(match[1]);
    const to = match && STATUS_BY_CODE.get(match[2]);
    if (!match || !from || !to) {
      throw new Error(`Task ${taskId} has a history line omc cannot read: ${JSON.stringify(line)}`);
    }
    const agent = match[5] === void 0 ? void 0 : JSON.parse(match[5]);
    if (agent !== void 0) holder = agent;
    steps.push({
      taskId,
      from,
      to,
      agent: agent ?? (from === TaskStatus.CLAIMED || from === TaskStatus.IN_PROGRESS ? holder : void 0),
      attempt: Number(match[3]),
      at: createdAt + Number(match[4]),
      reason: match[6] === void 0 ? void 0 : JSON.parse(match[6])
    });
  }
  return steps;
}

// src/query-builder.ts
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
var builder = new Kysely({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler()
  }
});
var PARAM = /* @__PURE__ */ Symbol("omc.param");
function param(name) {
  const ref = { [PARAM]: name };
  return ref;
}
function paramName(value) {
  return typeof value === "object" && value !== null && PARAM in value ? value[PARAM] : void 0;
}
function compile(query) {
  const { sql: text2, parameters } = query.compile();
  return { sql: text2, parameters };
}
var PreparedQuery = class {
  statement;
  /** Per position: the parameter's name, or undefined for a constant taken from `constants`. */
  names;
  constants;
  constructor(db, shape) {
    this.statement = db.prepare(shape.sql);
    if (this.statement.reader) this.statement.raw(true);
    this.names = shape.parameters.map(paramName);
    this.constants = shape.parameters;
  }
  /** The SQL text, for plan checks. */
  get source() {
    return this.statement.source;
  }
  bind(values) {
    const args = new Array(this.names.length);
    for (let i = 0; i < args.length; i++) {
      const name = this.names[i];
      if (name === void 0) {
        args[i] = this.constants[i];
      } else {
        if (!(name in values)) throw new TypeError(`omc internal error: no value for parameter ${name}`);
        args[i] = values[name];
      }
    }
    return args;
  }
  run(values = {}) {
    return this.statement.run(...this.bind(values));
  }
  get(values = {}) {
    return this.statement.get(...this.bind(values));
  }
  all(values = {}) {
    return this.statement.all(...this.bind(values));
  }
};

// src/schema.ts
import { sql as sql2 } from "kysely";
var TASK_COLUMNS = [
  "seq",
  "id",
  "title",
  "description",
  "status",
  "priority",
  "assigned_agent",
  "created_at",
  "updated_at",
  "started_at",
  "completed_at",
  "result",
  "error",
  "metadata",
  "version",
  "attempts",
  "max_attempts",
  "run_at",
  "lease_token",
  "lease_expires_at",
  "lease_ms",
  "timeout_ms",
  "idempotency_key",
  "requires",
  "depends_on",
  "has_dependants"
];
var ROW = {
  seq: 0,
  id: 1,
  title: 2,
  description: 3,
  status: 4,
  priority: 5,
  assignedAgent: 6,
  createdAt: 7,
  updatedAt: 8,
  startedAt: 9,
  completedAt: 10,
  result: 11,
  error: 12,
  metadata: 13,
  version: 14,
  attempts: 15,
  maxAttempts: 16,
  runAt: 17,
  leaseToken: 18,
  leaseExpiresAt: 19,
  leaseMs: 20,
  timeoutMs: 21,
  idempotencyKey: 22,
  requires: 23,
  dependsOn: 24,
  hasDependants: 25
};
function heldStatus(column = "status") {
  return sql2`(${sql2.raw(column)} = ${sql2.lit(TaskStatus.CLAIMED)} or ${sql2.raw(column)} = ${sql2.lit(TaskStatus.IN_PROGRESS)})`;
}

// src/migrations.ts
var V1_COUNTED_STATUSES = [
  TaskStatus.IN_PROGRESS,
  TaskStatus.COMPLETED,
  TaskStatus.FAILED,
  TaskStatus.CANCELLED
];
var COUNTED_STATUSES = [TaskStatus.FAILED, TaskStatus.CANCELLED];
var knownStatus = sql3.join(
  TASK_STATUSES.map((status) => sql3`status = ${sql3.lit(status)}`),
  sql3` or `
);
var uncounted = sql3`(${sql3.lit(TaskStatus.PENDING)}, ${sql3.lit(TaskStatus.CLAIMED)})`;
function text(query) {
  return query.compile().sql;
}
function raw(query) {
  return query.compile(builder).sql;
}
var v1 = {
  version: 1,
  name: "tasks table, claim and listing indexes, status counters",
  statements: [
    text(
      builder.schema.createTable("tasks").addColumn("seq", "integer", (c) => c.primaryKey()).addColumn("id", "text", (c) => c.notNull().unique()).addColumn("title", "text", (c) => c.notNull()).addColumn("description", "text", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull().check(knownStatus)).addColumn(
        "priority",
        "integer",
        (c) => c.notNull().check(sql3`typeof(priority) = 'integer' and priority between 0 and 3`)
      ).addColumn("assigned_agent", "text").addColumn("created_at", "integer", (c) => c.notNull()).addColumn("updated_at", "integer", (c) => c.notNull()).addColumn("started_at", "integer").addColumn("completed_at", "integer").addColumn("result", "text").addColumn("error", "text").addColumn("metadata", "text").addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    ),
    // Raw SQL that changes a row without bumping its version (the guide's examples) gets it bumped here,
    // so the pool's compare-and-set on the version never mistakes a changed row for the one it read.
    raw(sql3`create trigger tasks_version_bump after update on tasks when new.version = old.version begin
      update tasks set version = old.version + 1 where seq = new.seq;
    end`),
    // The claim order over pending tasks only: a claim reads the first entry, whatever the history holds
    // and however many tasks wait. The rowid (seq) ends every entry: the FIFO tie-break comes free.
    // Indexes over every row's status or agent (the guide's idx_status, idx_assigned_agent) would be
    // rewritten on every transition; measured, they halved claim→complete throughput.
    text(
      builder.schema.createIndex("idx_tasks_claim").on("tasks").columns(["priority desc", "created_at"]).where(sql3.ref("status"), "=", sql3.lit(TaskStatus.PENDING))
    ),
    // The listing order over every row. Priority and creation time never change, so only inserts pay.
    text(builder.schema.createIndex("idx_priority").on("tasks").columns(["priority desc", "created_at"])),
    text(
      builder.schema.createTable("task_counts").addColumn("name", "text", (c) => c.primaryKey()).addColumn("count", "integer", (c) => c.notNull()).modifyEnd(sql3`without rowid`)
    ),
    raw(
      sql3`insert into task_counts (name, count) values ${sql3.join(
        ["total", ...V1_COUNTED_STATUSES].map((name) => sql3`(${sql3.lit(name)}, 0)`)
      )}`
    ),
    // Triggers, not pool code, keep the counts, so raw SQL (the guide's archive example) stays counted.
    // The total and the per-status counts are separate triggers: a false WHEN costs almost nothing,
    // while one UPDATE matching either of two names cost a measurable µs per inserted row.
    raw(sql3`create trigger task_counts_insert after insert on tasks begin
      update task_counts set count = count + 1 where name = 'total';
    end`),
    raw(sql3`create trigger task_counts_insert_status after insert on tasks when new.status not in ${uncounted} begin
      update task_counts set count = count + 1 where name = new.status;
    end`),
    raw(sql3`create trigger task_counts_delete after delete on tasks begin
      update task_counts set count = count - 1 where name = 'total';
    end`),
    raw(sql3`create trigger task_counts_delete_status after delete on tasks when old.status not in ${uncounted} begin
      update task_counts set count = count - 1 where name = old.status;
    end`),
    // Leaving and entering a counted status are separate triggers, so claimed → completed runs one
    // counter update, not a second one that would match no row.
    raw(sql3`create trigger task_counts_update_from after update of status on tasks
      when old.status <> new.status and old.status not in ${uncounted}
    begin
      update task_counts set count = count - 1 where name = old.status;
    end`),
    raw(sql3`create trigger task_counts_update_to after update of status on tasks
      when old.status <> new.status and new.status not in ${uncounted}
    begin
      update task_counts set count = count + 1 where name = new.status;
    end`)
  ]
};
function addColumn(name, type, build = (column) => column) {
  return text(builder.schema.alterTable("tasks").addColumn(name, type, build));
}
function counted(column) {
  return sql3`(${sql3.join(
    COUNTED_STATUSES.map((status) => sql3`${sql3.raw(column)} = ${sql3.lit(status)}`),
    sql3` or `
  )})`;
}
var running = heldStatus();
var wallClockMs = sql3`cast(unixepoch('subsec') * 1000 as integer)`;
var v2 = {
  version: 2,
  name: "leases, fencing tokens, attempts, delays, timeouts, idempotency keys, status history",
  statements: [
    addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0)),
    // Tasks from before leases get the default attempts, so one whose holder died before the upgrade is
    // retried rather than failed when its new lease runs out.
    addColumn("max_attempts", "integer", (c) => c.notNull().defaultTo(DEFAULT_LEASE_POLICY.maxAttempts)),
    addColumn("run_at", "integer"),
    addColumn("lease_token", "integer", (c) => c.notNull().defaultTo(0)),
    addColumn("lease_expires_at", "integer"),
    addColumn("lease_ms", "integer"),
    addColumn("timeout_ms", "integer"),
    addColumn("idempotency_key", "text"),
    addColumn("history", "text"),
    // Tasks held before leases existed get one from their last change, so a holder that died before the
    // upgrade does not keep them forever.
    raw(sql3`update tasks set attempts = 1, lease_token = 1 where started_at is not null`),
    raw(
      sql3`update tasks set lease_expires_at = updated_at + ${sql3.lit(DEFAULT_LEASE_POLICY.leaseMs)} where ${running}`
    ),
    // Their history starts with the claim they were under, so later lines know their holder.
    raw(
      sql3`update tasks set history = ${historyPlusLine({
        from: TaskStatus.PENDING,
        to: TaskStatus.CLAIMED,
        attempt: sql3`1`,
        at: sql3`started_at`,
        agent: sql3.ref("assigned_agent")
      })} where ${running} and started_at is not null`
    ),
    // The claim index now holds only ready tasks: a delayed task waits in its own index, ordered by when
    // it is due, so a million tasks scheduled for tomorrow cost a claim nothing.
    text(builder.schema.dropIndex("idx_tasks_claim")),
    text(
      builder.schema.createIndex("idx_tasks_claim").on("tasks").columns(["run_at", "priority desc", "created_at"]).where(sql3`status = ${sql3.lit(TaskStatus.PENDING)} and run_at is null`)
    ),
    text(
      builder.schema.createIndex("idx_tasks_delayed").on("tasks").column("run_at").where(sql3`status = ${sql3.lit(TaskStatus.PENDING)} and run_at is not null`)
    ),
    // Live leases by expiry: reclaiming is a range scan over held tasks only, and a claim's check for
    // expired leases reads one entry. The status rides along so the stats count claimed and in-progress
    // tasks from this index alone, which lets a completion skip the counters.
    text(
      builder.schema.createIndex("idx_tasks_lease").on("tasks").columns(["lease_expires_at", "status"]).where(running)
    ),
    // Counters only for what no small index can count: the total, failed and cancelled. One trigger per
    // write kind, each a no-op unless a counted status is involved (every trigger fired costs a call).
    raw(sql3`delete from task_counts where name <> 'total'`),
    ...COUNTED_STATUSES.map(
      (status) => raw(
        sql3`insert into task_counts (name, count) select ${sql3.lit(status)}, count(*) from tasks where status = ${sql3.lit(status)}`
      )
    ),
    raw(sql3`drop trigger task_counts_insert_status`),
    raw(sql3`drop trigger task_counts_delete_status`),
    raw(sql3`drop trigger task_counts_update_from`),
    raw(sql3`drop trigger task_counts_update_to`),
    raw(sql3`create trigger task_counts_insert_status after insert on tasks when ${counted("new.status")} begin
      update task_counts set count = count + 1 where name = new.status;
    end`),
    raw(sql3`create trigger task_counts_delete_status after delete on tasks when ${counted("old.status")} begin
      update task_counts set count = count - 1 where name = old.status;
    end`),
    raw(sql3`create trigger task_counts_update after update of status on tasks
      when old.status <> new.status and (${counted("old.status")} or ${counted("new.status")})
    begin
      update task_counts set count = count - 1 where name = old.status;
      update task_counts set count = count + 1 where name = new.status;
    end`),
    text(
      builder.schema.createIndex("idx_tasks_idempotency_key").on("tasks").column("idempotency_key").unique().where(sql3`idempotency_key is not null`)
    ),
    // The pool appends a history line in the statement that changes a status, and bumps the version. A
    // raw UPDATE does neither: the version trigger now also records its status change, stamped with the
    // current time. One trigger, not two: each trigger a write fires costs a subprogram call, and this
    // one already runs on every update (measured: a second one cost ~4% of a claim→complete cycle).
    raw(sql3`drop trigger tasks_version_bump`),
    // It also keeps leases true to the status: a task raw SQL makes CLAIMED or IN_PROGRESS without a lease
    // gets the default one (so it cannot stay held forever), and one it moves out loses its lease.
    raw(sql3`create trigger tasks_version_bump after update on tasks when new.version = old.version begin
      update tasks set version = old.version + 1,
      lease_expires_at = case when ${heldStatus("new.status")}
        then coalesce(new.lease_expires_at, ${wallClockMs} + coalesce(new.lease_ms, ${sql3.lit(DEFAULT_LEASE_POLICY.leaseMs)}))
        end,
      history = case when old.status = new.status then new.history
        else ${historyPlusLine({
      from: sql3`old.status`,
      to: sql3`new.status`,
      attempt: sql3`max(old.attempts, new.attempts)`,
      at: wallClockMs,
      agent: sql3`coalesce(new.assigned_agent, old.assigned_agent)`,
      reason: sql3.lit("changed by direct SQL")
    })} end
      where seq = new.seq;
    end`)
  ]
};
var pending = sql3.lit(TaskStatus.PENDING);
var v3 = {
  version: 3,
  name: "capabilities, dependencies, batch claims",
  statements: [
    addColumn("requires", "text"),
    addColumn("depends_on", "text"),
    addColumn("waiting_on", "integer", (c) => c.notNull().defaultTo(0)),
    addColumn("has_dependants", "integer", (c) => c.notNull().defaultTo(0)),
    // One B-tree keyed by the dependency: what a completion or a failure looks up. No rowid, no second
    // index; a task's own dependencies are in its `depends_on` column.
    text(
      builder.schema.createTable("task_dependencies").addColumn("depends_on_id", "text", (c) => c.notNull()).addColumn("task_id", "text", (c) => c.notNull()).addPrimaryKeyConstraint("task_dependencies_pk", ["depends_on_id", "task_id"]).modifyEnd(sql3`without rowid`)
    ),
    // The claim and delayed indexes leave out tasks that wait for a dependency, so a claim never steps
    // over them. The inner parentheses keep the claim and the counts index-only: SQLite treats a
    // `column = constant` term of a partial index's WHERE as stored in the index, but it walks an AND
    // chain only down its right-hand side, so in `a and b and c` (parsed `(a and b) and c`) it would
    // never see `status = 'pending'` and would read every row for its status.
    text(builder.schema.dropIndex("idx_tasks_claim")),
    text(
      builder.schema.createIndex("idx_tasks_claim").on("tasks").columns(["run_at", "priority desc", "created_at"]).where(sql3`status = ${pending} and (run_at is null and waiting_on = 0)`)
    ),
    text(builder.schema.dropIndex("idx_tasks_delayed")),
    text(
      builder.schema.createIndex("idx_tasks_delayed").on("tasks").column("run_at").where(sql3`status = ${pending} and (run_at is not null and waiting_on = 0)`)
    ),
    // Tasks waiting for dependencies, delayed or not, in listing order. `seq` is spelled out so that
    // `waiting_on` can follow it (counting stays index-only) without breaking the order. `<> 0` rather
    // than `> 0`: with the two indexes above, every pending task is counted once, whatever raw SQL writes.
    text(
      builder.schema.createIndex("idx_tasks_waiting").on("tasks").columns(["priority desc", "created_at", "seq", "waiting_on"]).where(sql3`status = ${pending} and waiting_on <> 0`)
    ),
    // Ready tasks that require a capability, in claim order, with what they require: an exclusive claim
    // (a specialist that leaves general work to others) reads only these, index-only, however much
    // general work waits ahead. A task that requires nothing is never in it, so the guide's claims and
    // completions pay only the test of this WHERE. The nesting keeps `status` and `waiting_on` visible
    // to the planner, as for the claim index.
    text(
      builder.schema.createIndex("idx_tasks_requiring").on("tasks").columns(["run_at", "priority desc", "created_at", "seq", "requires"]).where(sql3`status = ${pending} and (run_at is null and (waiting_on = 0 and requires is not null))`)
    )
  ]
};
var MIGRATIONS = [v1, v2, v3];
var SCHEMA_VERSION = MIGRATIONS.length;

// src/open-database.ts
import { accessSync, chmodSync, constants, existsSync as existsSync2, statSync as statSync3 } from "fs";
import { basename as basename2, dirname as dirname3, resolve as resolve2 } from "path";

// src/database-health.ts
import { realpathSync, statSync } from "fs";
import { tmpdir } from "os";
import { basename, dirname, join, resolve } from "path";
var SIDE_FILE_CHECK_MS = 200;
function identityOf(file) {
  try {
    const stats = statSync(file, { bigint: true, throwIfNoEntry: false });
    return stats === void 0 ? void 0 : { dev: stats.dev, ino: stats.ino };
  } catch {
    return "unknown";
  }
}
function realFile(path) {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
var DatabaseHealth = class {
  constructor(db, path) {
    this.db = db;
    this.path = path;
    if (path === ":memory:" || path === "" || db.pragma("journal_mode", { simple: true }) !== "wal") return;
    const real = realFile(path);
    for (const file of [real, `${real}-wal`, `${real}-shm`]) {
      const identity = identityOf(file);
      this.watched.push({ file, database: file === real, identity: identity === "unknown" ? void 0 : identity });
    }
    this.nextCheckAt = performance.now() + SIDE_FILE_CHECK_MS;
    const self = new WeakRef(this);
    const timer = setInterval(() => {
      const health = self.deref();
      if (health === void 0 || !health.db.open) clearInterval(timer);
      else if (health.lost === void 0) health.checkSideFiles();
      else health.retryRescue();
    }, SIDE_FILE_CHECK_MS);
    timer.unref();
  }
  db;
  path;
  /** The database, -wal and -shm files as they were when the pool opened (WAL mode on a file only). */
  watched = [];
  /** performance.now() of the next side-file check; monotonic, so a clock change cannot stop the checks. */
  nextCheckAt = 0;
  /** Set once a file was lost: every later call is refused. */
  lost;
  /**
   * Called before every operation; throws when the file can no longer be trusted. Costs one monotonic
   * clock read; every SIDE_FILE_CHECK_MS it also stats the database, -wal and -shm files.
   */
  beforeOperation(operation) {
    if (this.lost === void 0) {
      if (this.watched.length === 0) return;
      const now = performance.now();
      if (now < this.nextCheckAt) return;
      this.checkSideFiles();
      if (this.lost === void 0) return;
    } else {
      this.retryRescue();
    }
    throw this.refusal(operation);
  }
  /** Turn a driver error into a typed omc error that says what failed and what to do. */
  translate(error, operation, taskId) {
    return translateSqliteError(error, this.path, operation, taskId);
  }
  /**
   * A -wal (or -shm) deleted or replaced while open: this connection still writes into the old,
   * unlinked file, which no new connection can see and which vanishes when the process ends, taking
   * every commit since the last checkpoint with it. Copy those commits into the main file while the
   * old file is still reachable through this connection; every call from then on is refused, since
   * going on would split the database between two -wal files.
   */
  checkSideFiles() {
    this.nextCheckAt = performance.now() + SIDE_FILE_CHECK_MS;
    for (const watched of this.watched) {
      const now = identityOf(watched.file);
      if (now === "unknown") continue;
      if (watched.identity === void 0) {
        watched.identity = now;
        continue;
      }
      if (now !== void 0 && now.dev === watched.identity.dev && now.ino === watched.identity.ino) continue;
      const how = now === void 0 ? "deleted" : "replaced by another file";
      const rescue = watched.database ? this.saveCopy(watched.file) : this.checkpoint("TRUNCATE");
      this.lost = { file: watched.file, database: watched.database, how, rescue };
      return;
    }
  }
  /**
   * Copy every frame of the (unlinked) -wal this connection holds into the main file. TRUNCATE waits
   * up to busyTimeoutMs for readers; PASSIVE, for retries, waits for nothing.
   */
  checkpoint(mode) {
    if (this.db.inTransaction) return { complete: false, detail: "a transaction was open" };
    try {
      const [result] = this.db.pragma(`wal_checkpoint(${mode})`);
      if (result === void 0 || result.log < 0) return { complete: false, detail: "not in WAL mode" };
      return result.checkpointed === result.log ? { complete: true, detail: "checkpoint complete" } : {
        complete: false,
        detail: `checkpoint copied ${result.checkpointed} of ${result.log} frames; a reader held the rest`
      };
    } catch (error) {
      return { complete: false, detail: `checkpoint failed: ${error.message}` };
    }
  }
  /**
   * The database file itself moved, deleted or replaced: SQLite goes on writing into the file it
   * opened (in WAL mode it does not notice), which a deleted file takes to the grave and a moved one
   * separates from its -wal. Checkpoint (so a moved file is whole on its own), then write a complete
   * copy of what this connection sees beside the old path, or in the temp dir if that folder is gone.
   */
  saveCopy(file) {
    const checkpoint = this.checkpoint("TRUNCATE");
    const name = `${basename(file)}.rescued-${(/* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-")}`;
    const failures = [];
    for (const dir of [dirname(file), tmpdir()]) {
      const copy = join(dir, name);
      try {
        this.db.prepare("VACUUM INTO ?").run(copy);
        return { complete: true, detail: `copy saved as ${copy}; ${checkpoint.detail}`, copy };
      } catch (error) {
        failures.push(`${copy}: ${error.message}`);
      }
    }
    return { complete: false, detail: `no copy could be saved (${failures.join("; ")}); ${checkpoint.detail}` };
  }
  /** A refusal after the fault: retry an incomplete -wal copy, without waiting for anyone this time. */
  retryRescue() {
    const lost = this.lost;
    if (!lost.rescue.complete && !lost.database) lost.rescue = this.checkpoint("PASSIVE");
  }
  refusal(operation) {
    return this.lost.database ? this.databaseLost(operation) : this.walLost(operation);
  }
  databaseLost(operation) {
    const { file, how, rescue } = this.lost;
    const kept = rescue.copy !== void 0 ? `The pool saved a complete copy of the database as this pool last saw it, with every task it acknowledged, as ${rescue.copy}.` : `The pool could NOT save a copy of it (${rescue.detail}): the tasks it acknowledged live only in the old file this process still holds and are lost when it ends, unless the file was only moved.`;
    return new ReadOnlyDatabaseError(
      this.path,
      "file",
      `${operation} refused: ${file} was ${how} while this pool had it open, so its writes would reach a file no other process can open. ${kept} This pool refuses every further call: close it; if the file was moved, open it where it is now; if it was deleted, ${rescue.copy === void 0 ? "restore a backup" : `move ${rescue.copy} to ${file}`} and open it again. Then find what moved or deleted the file and stop it.`
    );
  }
  walLost(operation) {
    const { file, how, rescue } = this.lost;
    const kept = rescue.complete ? `The pool copied every write it had acknowledged into ${this.path} when it noticed (${rescue.detail}), so nothing is lost.` : `The pool could NOT copy the writes acknowledged since the last checkpoint into ${this.path} (${rescue.detail}): they live only in the old file this process still holds and are lost when it ends. Keep this process running: the pool retries the copy every ${SIDE_FILE_CHECK_MS} ms and at each call.`;
    return new DatabaseCorruptError(
      this.path,
      "wal_lost",
      `${operation} refused: ${file} was ${how} while this pool had the database open; writes since the last checkpoint lived only there. ${kept} This pool refuses every further call: close it, ${how === "replaced by another file" ? `move the file now at ${file} aside (it is not this database's log), ` : ""}and open the database again. Then find what removed the file (a clean-up job deleting *-wal or *-shm files, a copy or move of the database without them) and stop it.`,
      { findings: [`${file} ${how}`, rescue.detail] }
    );
  }
};
function sqliteCode(error) {
  const code = typeof error === "object" && error !== null ? error.code : void 0;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : void 0;
}
function isCode(code, base) {
  return code === base || code.startsWith(`${base}_`);
}
function translateSqliteError(error, path, operation, taskId) {
  if (OmcError.isInstance(error)) return error;
  const options = { taskId, cause: error };
  const code = sqliteCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const what = `${operation}${taskId === void 0 ? "" : ` for task ${taskId}`}`;
  const said = `SQLite said: ${code === void 0 ? "" : `${code}, `}${detail}`;
  if (code === void 0) {
    return new StorageError(`${what} failed in SQLite: ${detail}.`, options);
  }
  if (isCode(code, "SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return new DatabaseCorruptError(
      path,
      "corrupt",
      `${what} failed: ${path} is damaged (${said}). The call wrote nothing. Stop the processes using it, keep a copy of the file with its -wal and -shm, check it with \`sqlite3 ${path} "PRAGMA integrity_check"\`, then restore a backup or recover it with \`sqlite3 ${path} .recover\`.`,
      { ...options, findings: [detail] }
    );
  }
  if (code === "SQLITE_FULL") {
    return new DiskFullError(
      path,
      `${what} failed: the disk holding ${path} is full (or the database reached its size limit); the call wrote nothing and every task acknowledged before is still there. Free space on that disk and retry (${said}).`,
      options
    );
  }
  if (isCode(code, "SQLITE_BUSY")) {
    const snapshot = code === "SQLITE_BUSY_SNAPSHOT";
    return new DatabaseBusyError(
      path,
      `${what} did nothing: ${snapshot ? `another connection wrote to ${path} while this one was reading it` : `another connection held the write lock on ${path} longer than busyTimeoutMs`}. Retry the call; if it keeps happening, raise the pool's busyTimeoutMs or shorten the other program's long transactions (${said}).`,
      options
    );
  }
  if (isCode(code, "SQLITE_READONLY")) {
    if (code === "SQLITE_READONLY_DIRECTORY") {
      return new ReadOnlyDatabaseError(
        path,
        "directory",
        `${what} failed: the folder holding ${path} is not writable, so SQLite cannot create its -wal and -shm files; nothing was written. Make the folder writable, or open the pool with readOnly: true to only read (${said}).`,
        options
      );
    }
    if (code === "SQLITE_READONLY_DBMOVED") {
      return new ReadOnlyDatabaseError(
        path,
        "file",
        `${what} failed: ${path} was moved or deleted while the pool had it open; nothing was written. Close this pool and open the file at its new place (${said}).`,
        options
      );
    }
    return new ReadOnlyDatabaseError(
      path,
      "file",
      `${what} failed: ${path} (or its -wal or -shm file) is not writable; nothing was written. Check the files' permissions and owner and the mount (read-only file system?), or open the pool with readOnly: true to only read (${said}).`,
      options
    );
  }
  if (isCode(code, "SQLITE_IOERR")) {
    return new StorageError(
      `${what} failed: reading or writing ${path} failed in the operating system (${said}). The call wrote nothing. Check the disk and the mount the file is on (the system log for I/O errors, a network file system that went away, a -wal or -shm file removed or made unreadable), then retry or reopen the pool.`,
      options
    );
  }
  if (code === "SQLITE_CANTOPEN") {
    return new StorageError(
      `${what} failed: SQLite could not open ${path} or a file beside it (${said}). Check that the file and its folder still exist and are readable and writable by this process.`,
      options
    );
  }
  return new StorageError(`${what} failed in SQLite for ${path} (${said}).`, options);
}

// src/integrity.ts
import { closeSync, openSync, readSync, statSync as statSync2 } from "fs";
var MAX_INTEGRITY_FINDINGS = 100;
function isCorruption(error) {
  const code = error?.code;
  return typeof code === "string" && code.startsWith("SQLITE_CORRUPT");
}
function checkIntegrity(db, quick) {
  let findings = runCheck(db, quick ? "quick_check" : "integrity_check");
  if (!quick && findings.length === 1 && findings[0]?.startsWith("integrity_check could not finish")) {
    const structure = runCheck(db, "quick_check");
    if (structure.length > 0) findings = [...structure, ...findings].slice(0, MAX_INTEGRITY_FINDINGS);
  }
  return { ok: findings.length === 0, quick, findings };
}
function runCheck(db, pragma) {
  let lines;
  try {
    const rows = db.pragma(`${pragma}(${MAX_INTEGRITY_FINDINGS})`);
    lines = rows.flatMap((row) => String(Object.values(row)[0]).split("\n"));
  } catch (error) {
    if (!isCorruption(error)) throw error;
    return [`${pragma} could not finish: ${error.message}`];
  }
  const findings = lines.filter(
    (line) => line !== "ok" && line !== "" && !/^\*\*\* in database \w+ \*\*\*$/.test(line)
  );
  return findings.slice(0, MAX_INTEGRITY_FINDINGS);
}
function readFileHeader(path) {
  const header = Buffer.alloc(100);
  let fd;
  try {
    fd = openSync(path, "r");
    return header.subarray(0, readSync(fd, header, 0, 100, 0));
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd !== void 0) closeSync(fd);
  }
}
var SIGNATURE = "SQLite format 3\0";
function hasSqliteSignature(path) {
  return readFileHeader(path).toString("latin1", 0, 16) === SIGNATURE;
}
function sizeInHeader(path) {
  const header = readFileHeader(path);
  if (header.length < 100 || header.toString("latin1", 0, 16) !== SIGNATURE) return void 0;
  const raw2 = header.readUInt16BE(16);
  const pageSize = raw2 === 1 ? 65536 : raw2;
  if (header.readUInt32BE(24) !== header.readUInt32BE(92)) return void 0;
  return { pageSize, pageCount: header.readUInt32BE(28) };
}
function diagnose(path, error) {
  let size;
  try {
    size = statSync2(path).size;
  } catch {
    return { problem: "corrupt", detail: "SQLite found a malformed page or record" };
  }
  if (size < 100 && hasSqliteSignature(path)) {
    return { problem: "truncated", detail: `the file is ${size} bytes, shorter than SQLite's 100-byte header` };
  }
  const header = sizeInHeader(path);
  if (header && header.pageSize >= 512) {
    const expected = header.pageSize * header.pageCount;
    if (size < expected || size % header.pageSize !== 0) {
      return {
        problem: "truncated",
        detail: `the file is ${size} bytes, but its header says ${header.pageCount} pages of ${header.pageSize} bytes (${expected} bytes): it was cut short`
      };
    }
  }
  if (error?.code === "SQLITE_NOTADB") {
    return { problem: "corrupt", detail: "its 100-byte file header is damaged (SQLite's signature is there)" };
  }
  return { problem: "corrupt", detail: "SQLite found a malformed page or record" };
}
function recoveryAdvice(path) {
  return `Restore ${path} from a backup, or recover what SQLite can still read into a new file (\`sqlite3 ${path} ".recover" | sqlite3 recovered.db\`) and open that one; pool.checkIntegrity() on the recovered file tells whether it is sound.`;
}
function corruptAtOpen(path, error) {
  const { problem, detail } = diagnose(path, error);
  const said = error.message;
  return new DatabaseCorruptError(
    path,
    problem,
    `${path} is damaged: ${detail} (SQLite: "${said}"). omc wrote nothing to it. ${recoveryAdvice(path)}`,
    { findings: [said], cause: error }
  );
}
function onlyIndexes(findings) {
  return findings.length > 0 && findings.every((line) => /\b(?:from|in) index \w+/.test(line));
}
function failedCheck(path, report) {
  const { problem, detail } = diagnose(path);
  const shown3 = report.findings.slice(0, 3).join("; ");
  const more = report.findings.length > 3 ? ` and ${report.findings.length - 3} more (see findings)` : "";
  return new DatabaseCorruptError(
    path,
    problem,
    `${path} is damaged: ${report.quick ? "quick_check" : "integrity_check"} found ${shown3}${more}${problem === "truncated" ? `; ${detail}` : ""}. omc wrote nothing to it. ${recoveryAdvice(path)}` + (onlyIndexes(report.findings) ? ` Every finding names an index, which SQLite can rebuild from its table: with no process using the file, \`sqlite3 ${path} "REINDEX"\`, then check again.` : ""),
    { findings: report.findings }
  );
}

// src/native-driver.ts
import { existsSync, readFileSync } from "fs";
import { createRequire } from "module";
import { dirname as dirname2, join as join2 } from "path";
var import_satisfies = __toESM(require_satisfies(), 1);
var import_ltr = __toESM(require_ltr(), 1);
var import_min_version = __toESM(require_min_version(), 1);
var import_valid = __toESM(require_valid(), 1);
var DRIVER = "better-sqlite3";
var SUPPORTED_MAJORS = [
  [13, ">=22"],
  [12, "20.x || 22.x || 23.x || 24.x || 25.x || 26.x"]
];
var nodeIn = (nodeVersion, range) => (0, import_satisfies.default)(nodeVersion, range, { includePrerelease: true });
var newestFor = (nodeVersion) => SUPPORTED_MAJORS.find(([, node]) => nodeIn(nodeVersion, node))?.[0];
var REBUILD = "`pnpm rebuild better-sqlite3` (npm: `npm rebuild better-sqlite3`)";
var ALLOW_BUILD = `run \`pnpm approve-builds\` and choose better-sqlite3, or list it under \`onlyBuiltDependencies\` (the "pnpm" field of package.json, or pnpm-workspace.yaml) and run ${REBUILD}`;
var install = (major) => `pnpm add --allow-build=better-sqlite3 better-sqlite3@${major} (npm: npm install better-sqlite3@${major})`;
function driverIncompatibility(driver, nodeVersion) {
  const major = Number.parseInt(driver.version, 10);
  const range = driver.engines?.node ?? SUPPORTED_MAJORS.find(([known]) => known === major)?.[1];
  if (range === void 0 || (0, import_valid.default)(range) === null || nodeIn(nodeVersion, range)) return void 0;
  if (!(0, import_ltr.default)(nodeVersion, range, { includePrerelease: true })) return void 0;
  const fitting = newestFor(nodeVersion);
  const runNode = nodeIn("1000.0.0", range) ? `run Node.js ${(0, import_min_version.default)(range)?.version.replace(/\.0\.0$/, "")} or newer` : `run a Node.js in "${range}"`;
  const fix = fitting === void 0 ? `${runNode[0]?.toUpperCase()}${runNode.slice(1)}` : `Install better-sqlite3@${fitting}: ${install(fitting)}; or ${runNode}`;
  return `${DRIVER} ${driver.version} does not support Node.js ${nodeVersion} (its engines.node is "${range}"); its native addon could crash this process, so omc did not load it. ${fix}.`;
}
function addonFailure(error, driverVersion) {
  const { code, message } = error ?? {};
  if (typeof message !== "string") return void 0;
  const details = { driver: DRIVER, driverVersion, nodeVersion: process.versions.node, cause: error };
  const firstLine = message.split("\n")[0]?.trim();
  const unbuilt = message.startsWith("Could not locate the bindings file");
  if (unbuilt || code === "MODULE_NOT_FOUND" && message.includes("better_sqlite3.node")) {
    const fix = unbuilt ? `its build script did not run, and pnpm 10 runs it only when allowed. To build it, ${ALLOW_BUILD}.` : (
      // 13 ships prebuilt addons and has no build script: a missing one is an incomplete install.
      "reinstall it, or install better-sqlite3@12, which builds its addon from source."
    );
    return new NativeDriverError(
      "binding_missing",
      `${DRIVER} ${driverVersion} is installed without its compiled addon ("${firstLine?.replace(/\.? Tried:$/, "")}"): ${fix}`,
      details
    );
  }
  if (code === "ERR_DLOPEN_FAILED") {
    const abi = /NODE_MODULE_VERSION (\d+)\.\s+This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(
      message
    );
    const why = abi ? `it was compiled for another Node.js (NODE_MODULE_VERSION ${abi[1]}; this one needs ${abi[2]})` : firstLine;
    return new NativeDriverError(
      "binding_mismatch",
      `${DRIVER} ${driverVersion}'s compiled addon cannot load in Node.js ${process.versions.node}: ${why}. Rebuild it for this Node.js with ${REBUILD}; if pnpm skips the build, ${ALLOW_BUILD}.`,
      details
    );
  }
  return void 0;
}
var loaded;
function loadDriver() {
  loaded ??= load();
  if ("error" in loaded) throw loaded.error;
  return loaded.driver;
}
function load() {
  const require2 = createRequire(import.meta.url);
  const nodeVersion = process.versions.node;
  let entry;
  try {
    entry = require2.resolve(DRIVER);
  } catch (error) {
    if (error.code !== "MODULE_NOT_FOUND") throw error;
    const message = `${DRIVER} is not installed beside @omc/store-sqlite. Install it: ${install(newestFor(nodeVersion) ?? 12)}.`;
    return {
      error: new NativeDriverError("not_installed", message, {
        driver: DRIVER,
        driverVersion: void 0,
        nodeVersion,
        cause: error
      })
    };
  }
  const manifest = readManifest(entry);
  const problem = driverIncompatibility(manifest, nodeVersion);
  if (problem !== void 0) {
    const details = { driver: DRIVER, driverVersion: manifest.version, nodeVersion };
    return { error: new NativeDriverError("node_unsupported", problem, details) };
  }
  return { driver: { Database: require2(entry), version: manifest.version } };
}
function readManifest(entry) {
  for (let dir = dirname2(entry); dir !== dirname2(dir); dir = dirname2(dir)) {
    const file = join2(dir, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    if (typeof manifest.version === "string") return manifest;
  }
  return { version: "unknown" };
}

// src/open-database.ts
var APPLICATION_ID = 1869439777;
var CELL_SIZE_CHECK = true;
function isSqliteError(error, code) {
  return typeof error === "object" && error !== null && error.code === code;
}
function openDatabase(path, options) {
  const inMemory = path === ":memory:" || path === "";
  if (options.readOnly && inMemory) {
    throw new InvalidInputError("readOnly", "readOnly needs a database file: an in-memory pool starts empty.");
  }
  if (!inMemory && !options.readOnly) refuseUnwritable(path);
  const sideFiles = inMemory ? [] : SIDE_SUFFIXES.filter((suffix) => !existsSync2(path + suffix));
  if (options.readOnly && !existsSync2(path)) {
    throw new StorageError(`Cannot open ${path} read-only: it does not exist, and readOnly never creates a file.`);
  }
  const driver = loadDriver();
  let db;
  try {
    db = new driver.Database(path, {
      timeout: options.busyTimeoutMs,
      readonly: options.readOnly,
      fileMustExist: options.readOnly
    });
  } catch (error) {
    throw addonFailure(error, driver.version) ?? readOnlyAtOpen(path, error) ?? new StorageError(`Cannot open ${path}: ${error.message}. Check the path and its permissions.`, {
      cause: error
    });
  }
  try {
    if (CELL_SIZE_CHECK) db.pragma("cell_size_check = ON");
    let found;
    try {
      found = readHeader(db, path);
    } finally {
      if (options.readOnly) releaseCreatedSideFiles(path, sideFiles);
    }
    if (found.version > SCHEMA_VERSION) throw new SchemaTooNewError(path, found.version, SCHEMA_VERSION);
    if (found.version > 0 && found.applicationId !== APPLICATION_ID) {
      throw new ForeignDatabaseError(path, `application_id is ${found.applicationId}`);
    }
    if (found.version === 0 && found.tables.length > 0) {
      throw new ForeignDatabaseError(path, `it already has tables: ${found.tables.slice(0, 5).join(", ")}`);
    }
    if (options.checkIntegrityOnOpen !== false) {
      const report = checkIntegrity(db, options.checkIntegrityOnOpen === "quick");
      if (!report.ok) throw failedCheck(path, report);
    }
    if (options.readOnly) {
      if (found.version < SCHEMA_VERSION) throw migrationRefused(path, found.version);
      return db;
    }
    if (!inMemory) {
      db.pragma("journal_mode = WAL");
    }
    db.pragma(`synchronous = ${options.synchronous}`);
    if (found.version < SCHEMA_VERSION) migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    if (OmcError.isInstance(error)) throw error;
    if (isCorruption(error)) throw corruptAtOpen(path, error);
    throw readOnlyAtOpen(path, error) ?? translateSqliteError(error, path, `open ${path}`, void 0);
  }
}
var SIDE_SUFFIXES = ["-wal", "-shm"];
function writable(file) {
  try {
    accessSync(file, constants.W_OK);
    return void 0;
  } catch (error) {
    const { code } = error;
    return code === "EACCES" || code === "EPERM" || code === "EROFS" ? error : void 0;
  }
}
var READ_ONLY_INSTEAD = "To read it without writing, open it with readOnly: true.";
function refuseUnwritable(path) {
  const dir = dirname3(resolve2(path));
  for (const file of [path, ...SIDE_SUFFIXES.map((suffix) => path + suffix)]) {
    if (!existsSync2(file)) continue;
    const denied2 = writable(file);
    if (denied2 === void 0) continue;
    const side = file !== path;
    throw new ReadOnlyDatabaseError(
      path,
      "file",
      `${file} is not writable (${denied2.code}), so this pool cannot write ${side ? `the database ${path}` : "it"}; nothing was opened or created. ` + (side ? `It is SQLite's ${file.slice(path.length)} file: make it writable (chmod u+w), or, when no process has the database open, delete it. ` : `Make it writable (chmod u+w ${path}). `) + READ_ONLY_INSTEAD,
      { cause: denied2 }
    );
  }
  const denied = writable(dir);
  if (denied !== void 0) {
    const name = basename2(path);
    throw new ReadOnlyDatabaseError(
      path,
      "directory",
      `The directory ${dir} is not writable (${denied.code}), and SQLite must create ${name}-wal and ${name}-shm beside ${existsSync2(path) ? "the database" : "a new database"} to write it; nothing was opened or created. Make the directory writable or move the database to one that is. ${READ_ONLY_INSTEAD}`,
      { cause: denied }
    );
  }
}
function readOnlyAtOpen(path, error) {
  const code = error?.code;
  if (typeof code !== "string") return void 0;
  const dir = dirname3(resolve2(path));
  if (code === "SQLITE_READONLY_DIRECTORY" || code === "SQLITE_CANTOPEN" && writable(dir) !== void 0) {
    const name = basename2(path);
    return new ReadOnlyDatabaseError(
      path,
      "directory",
      `The directory ${dir} is not writable, and SQLite needs ${name}-shm beside the database to read or write it in WAL mode (${code}); nothing was created. Make the directory writable, or copy the database to one that is.`,
      { cause: error }
    );
  }
  if (code.startsWith("SQLITE_READONLY")) {
    return new ReadOnlyDatabaseError(
      path,
      "file",
      `${path} cannot be written (${code}: ${error.message}); nothing was changed. Check the permissions of ${path} and its -wal/-shm files. ${READ_ONLY_INSTEAD}`,
      { cause: error }
    );
  }
  return void 0;
}
function releaseCreatedSideFiles(path, missingBefore) {
  for (const suffix of missingBefore) {
    const file = path + suffix;
    try {
      const { mode, uid } = statSync3(file);
      if (uid === process.getuid?.() && (mode & 128) === 0) chmodSync(file, mode & 4095 | 128);
    } catch {
    }
  }
}
function migrationRefused(path, version) {
  const what = version === 0 ? "is not an omc database yet (it has no schema)" : `has schema version ${version}`;
  return new ReadOnlyDatabaseError(
    path,
    "opened_read_only",
    `${path} ${what}, and this omc reads schema version ${SCHEMA_VERSION}; opened with readOnly: true, it was not migrated and nothing was written. Open it once without readOnly to bring it up to date.`
  );
}
function readHeader(db, path) {
  try {
    return db.transaction(() => ({
      version: db.pragma("user_version", { simple: true }),
      applicationId: db.pragma("application_id", { simple: true }),
      tables: db.prepare("select name from sqlite_master where type = 'table'").all().map(
        (row) => row.name
      )
    }))();
  } catch (error) {
    if (isSqliteError(error, "SQLITE_NOTADB")) {
      throw hasSqliteSignature(path) ? corruptAtOpen(path, error) : new NotADatabaseError(path, error);
    }
    throw error;
  }
}
function migrate(db, path) {
  db.transaction(() => {
    const current = db.pragma("user_version", { simple: true });
    if (current === 0) {
      const tables = db.prepare("select count(*) as n from sqlite_master where type = 'table'").get();
      if (tables.n > 0)
        throw new ForeignDatabaseError(path, "another program created tables in it while omc opened it");
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements) db.exec(statement);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

// src/change-signal.ts
var ChangeSignal = class {
  /**
   * @param dataVersion Reads `PRAGMA data_version`; `undefined` for an in-memory pool, which no other
   * connection can write.
   */
  constructor(dataVersion, pollMs) {
    this.dataVersion = dataVersion;
    this.pollMs = pollMs;
  }
  dataVersion;
  pollMs;
  listeners = new ChangeListeners({
    onFirst: () => this.startPolling(),
    onLast: () => this.stopPolling()
  });
  timer;
  seenVersion = 0;
  /** Something changed: tell the listeners once, after the current synchronous work (and its burst) ends. */
  changed() {
    this.listeners.changed();
  }
  /** Add a listener; the returned function removes it (twice is harmless, after close too). */
  subscribe(listener) {
    return this.listeners.subscribe(listener);
  }
  /** No call after this, not even one already scheduled; the timer stops (with the last listener). */
  close() {
    this.listeners.close();
  }
  startPolling() {
    if (this.timer !== void 0 || this.dataVersion === void 0) return;
    this.seenVersion = this.dataVersion();
    this.timer = setInterval(this.poll, this.pollMs);
    this.timer.unref();
  }
  stopPolling() {
    if (this.timer === void 0) return;
    clearInterval(this.timer);
    this.timer = void 0;
  }
  poll = () => {
    let version;
    try {
      version = this.dataVersion();
    } catch {
      return;
    }
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    this.changed();
  };
};

// src/input-checks.ts
var MAX_CHANGE_POLL_MS = 2 ** 31 - 1;
function validateChangePollMs(value) {
  if (value === void 0) return 20;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1 || value > MAX_CHANGE_POLL_MS) {
    throw new InvalidInputError(
      "changePollMs",
      `changePollMs must be an integer from 1 to ${MAX_CHANGE_POLL_MS} (ms between checks for other processes' writes), got ${String(value)}.`
    );
  }
  return value;
}
function refuseRepeatedIds(valid) {
  const ids = /* @__PURE__ */ new Set();
  const keys = /* @__PURE__ */ new Set();
  for (const input of valid) {
    if (input.idempotencyKey !== void 0) {
      if (keys.has(input.idempotencyKey)) continue;
      keys.add(input.idempotencyKey);
    }
    if (input.id === void 0) continue;
    if (ids.has(input.id)) throw taskIdTaken(input.id);
    ids.add(input.id);
  }
}

// src/pool-options.ts
var SYNCHRONOUS_MODES = ["normal", "full"];
var INTEGRITY_ON_OPEN = [false, true, "quick", "full"];
var MAX_BUSY_TIMEOUT_MS = 2 ** 31 - 1;
function shown2(value) {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}\u2026` : value);
  if (typeof value === "number") return String(value);
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
function resolvePoolOptions(options) {
  const common = resolveStoreOptions(options);
  const raw2 = options ?? {};
  const { busyTimeoutMs = 1e4, synchronous = "normal" } = raw2;
  if (typeof busyTimeoutMs !== "number" || !Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0 || busyTimeoutMs > MAX_BUSY_TIMEOUT_MS) {
    throw new InvalidInputError(
      "busyTimeoutMs",
      `busyTimeoutMs must be an integer from 0 to ${MAX_BUSY_TIMEOUT_MS} (ms to wait for another process's lock), got ${shown2(busyTimeoutMs)}.`
    );
  }
  if (!SYNCHRONOUS_MODES.includes(synchronous)) {
    throw new InvalidInputError("synchronous", `synchronous must be 'normal' or 'full', got ${shown2(synchronous)}.`);
  }
  const { readOnly = false, checkIntegrityOnOpen = false } = raw2;
  if (typeof readOnly !== "boolean") {
    throw new InvalidInputError("readOnly", `readOnly must be true or false, got ${shown2(readOnly)}.`);
  }
  if (!INTEGRITY_ON_OPEN.includes(checkIntegrityOnOpen)) {
    throw new InvalidInputError(
      "checkIntegrityOnOpen",
      `checkIntegrityOnOpen must be true or 'quick' (PRAGMA quick_check), 'full' (integrity_check) or false, got ${shown2(checkIntegrityOnOpen)}.`
    );
  }
  return {
    ...common,
    readOnly,
    checkIntegrityOnOpen: checkIntegrityOnOpen === true ? "quick" : checkIntegrityOnOpen,
    busyTimeoutMs,
    synchronous,
    changePollMs: validateChangePollMs(raw2.changePollMs)
  };
}

// src/queries.ts
import { sql as sql4 } from "kysely";
function tasksIndexedBy(index) {
  return sql4.raw(`tasks indexed by ${index}`);
}
function boundCount(name) {
  return sql4`cast(${param(name)} as integer)`;
}
var newTaskValues = {
  id: param("id"),
  title: param("title"),
  description: param("description"),
  status: sql4.lit(TaskStatus.PENDING),
  priority: param("priority"),
  created_at: param("now"),
  updated_at: param("now"),
  metadata: param("metadata"),
  max_attempts: param("maxAttempts"),
  run_at: param("runAt"),
  lease_ms: param("leaseMs"),
  timeout_ms: param("timeoutMs"),
  requires: param("requires")
};
var insertTask = compile(builder.insertInto("tasks").values(newTaskValues));
var insertFullTask = compile(
  builder.insertInto("tasks").values({
    ...newTaskValues,
    status: param("status"),
    updated_at: param("updatedAt"),
    error: param("error"),
    history: param("history"),
    idempotency_key: param("idempotencyKey"),
    depends_on: param("dependsOn"),
    waiting_on: param("waitingOn")
  }).onConflict((conflict) => conflict.column("idempotency_key").where("idempotency_key", "is not", null).doNothing())
);
var selectStatusesOf = compile(
  builder.selectFrom("tasks").select(["id", "status"]).where("id", "in", sql4`(select value from json_each(${param("ids")}))`)
);
var insertDependencies = compile(
  builder.insertInto("task_dependencies").columns(["depends_on_id", "task_id"]).expression(
    builder.selectFrom(sql4`json_each(${param("ids")})`.as("batch")).select([sql4`value`.as("depends_on_id"), sql4`${param("taskId")}`.as("task_id")])
  )
);
var markHasDependants = compile(
  builder.updateTable("tasks").set({ has_dependants: sql4.lit(1), version: sql4`${sql4.ref("version")} + 1` }).where("id", "in", sql4`(select value from json_each(${param("ids")}))`).where("has_dependants", "=", sql4.lit(0))
);
var selectByIdempotencyKey = compile(
  builder.selectFrom("tasks").select(TASK_COLUMNS).where("idempotency_key", "=", param("idempotencyKey"))
);
var insertTasksFromJson = compile(
  builder.insertInto("tasks").columns([
    "id",
    "title",
    "description",
    "status",
    "priority",
    "created_at",
    "updated_at",
    "metadata",
    "max_attempts",
    "run_at",
    "lease_ms",
    "timeout_ms",
    "requires"
  ]).expression(
    builder.selectFrom(sql4`json_each(${param("rows")})`.as("batch")).select([
      sql4`value ->> 0`.as("id"),
      sql4`value ->> 1`.as("title"),
      sql4`value ->> 2`.as("description"),
      sql4.lit(TaskStatus.PENDING).as("status"),
      sql4`value ->> 3`.as("priority"),
      sql4`${param("now")}`.as("created_at"),
      sql4`${param("now")}`.as("updated_at"),
      sql4`value ->> 4`.as("metadata"),
      sql4`value ->> 5`.as("max_attempts"),
      sql4`value ->> 6`.as("run_at"),
      sql4`value ->> 7`.as("lease_ms"),
      sql4`value ->> 8`.as("timeout_ms"),
      sql4`value ->> 9`.as("requires")
    ])
  )
);
function inClaimOrder(query) {
  return query.orderBy("priority", "desc").orderBy("created_at", "asc").orderBy("seq", "asc");
}
function ready(query) {
  return query.where("status", "=", sql4.lit(TaskStatus.PENDING)).where("run_at", "is", null).where("waiting_on", "=", sql4.lit(0));
}
function delayed(query) {
  return query.where("status", "=", sql4.lit(TaskStatus.PENDING)).where("run_at", "is not", null).where("waiting_on", "=", sql4.lit(0));
}
function waiting(query) {
  return query.where("status", "=", sql4.lit(TaskStatus.PENDING)).where("waiting_on", "<>", sql4.lit(0));
}
var held = heldStatus();
function nextReady(limit) {
  return builder.selectFrom(tasksIndexedBy("idx_tasks_claim")).select("seq").$call(ready).$call(inClaimOrder).limit(limit === "one" ? sql4.lit(1) : boundCount("limit"));
}
var nextPending = nextReady("one");
var requiresOnly = sql4`not exists (select 1 from json_each(requires) as need where need.value not in (select cap.value from json_each(${param("capabilities")}) as cap))`;
var withinCapabilities = sql4`(requires is null or ${requiresOnly})`;
function leaseUntil(deadline) {
  const renewed = sql4`${param("now")} + coalesce(lease_ms, ${param("leaseMs")})`;
  return sql4`case when timeout_ms is not null and ${deadline} < ${renewed} then ${deadline} else ${renewed} end`;
}
var upkeepDue = compile(
  builder.selectNoFrom([
    builder.selectFrom(tasksIndexedBy("idx_tasks_lease")).select(sql4.lit(1).as("due")).where(held).where("lease_expires_at", "<=", param("now")).limit(sql4.lit(1)).as("expired"),
    builder.selectFrom(tasksIndexedBy("idx_tasks_delayed")).select(sql4.lit(1).as("due")).$call(delayed).where("run_at", "<=", param("now")).limit(sql4.lit(1)).as("ready")
  ])
);
var expiredAttemptFails = sql4`attempts >= max_attempts`;
var statusAfterExpiry = sql4`case when ${expiredAttemptFails} then ${sql4.lit(TaskStatus.FAILED)} else ${sql4.lit(TaskStatus.PENDING)} end`;
var expiryReason2 = sql4`'attempt ' || attempts || ' of ' || max_attempts || ' by ' || coalesce(assigned_agent, 'an unknown agent') || ': ' || case
  when timeout_ms is not null and started_at + timeout_ms <= lease_expires_at then 'timed out after ' || timeout_ms || ' ms'
  else 'lease expired without a heartbeat' end`;
var reclaimExpired = compile(
  builder.updateTable(tasksIndexedBy("idx_tasks_lease")).set({
    status: statusAfterExpiry,
    assigned_agent: sql4`case when ${expiredAttemptFails} then assigned_agent end`,
    started_at: sql4`case when ${expiredAttemptFails} then started_at end`,
    completed_at: sql4`case when ${expiredAttemptFails} then ${param("now")} end`,
    error: expiryReason2,
    history: historyPlusLine({
      from: sql4.ref("status"),
      to: statusAfterExpiry,
      attempt: sql4.ref("attempts"),
      at: sql4`${param("now")}`,
      reason: expiryReason2
    }),
    result: null,
    run_at: null,
    lease_expires_at: null,
    updated_at: param("now"),
    version: sql4`${sql4.ref("version")} + 1`
  }).where(held).where("lease_expires_at", "<=", param("now")).returning(["status", "id", "has_dependants"])
);
var promoteDue = compile(
  builder.updateTable(tasksIndexedBy("idx_tasks_delayed")).set({ run_at: null, version: sql4`${sql4.ref("version")} + 1` }).where("status", "=", sql4.lit(TaskStatus.PENDING)).where("run_at", "is not", null).where("waiting_on", "=", sql4.lit(0)).where("run_at", "<=", param("now"))
);
var claimed = {
  status: sql4.lit(TaskStatus.CLAIMED),
  assigned_agent: param("agent"),
  updated_at: param("now"),
  started_at: param("now"),
  completed_at: null,
  result: null,
  attempts: sql4`attempts + 1`,
  lease_token: sql4`lease_token + 1`,
  lease_expires_at: leaseUntil(sql4`${param("now")} + timeout_ms`),
  history: historyPlusLine({
    from: TaskStatus.PENDING,
    to: TaskStatus.CLAIMED,
    attempt: sql4`attempts + 1`,
    at: sql4`${param("now")}`,
    agent: sql4`${param("agent")}`
  }),
  version: sql4`${sql4.ref("version")} + 1`
};
var claimNext = compile(
  builder.updateTable("tasks").set(claimed).where("seq", "=", nextPending).returning(TASK_COLUMNS)
);
var claimBatch = compile(
  builder.updateTable("tasks").set(claimed).where("seq", "in", nextReady("limit")).returning(TASK_COLUMNS)
);
var claimBatchWithin = compile(
  builder.updateTable("tasks").set(claimed).where("seq", "in", nextReady("limit").where(withinCapabilities)).returning(TASK_COLUMNS)
);
var claimBatchExclusive = compile(
  builder.updateTable("tasks").set(claimed).where(
    "seq",
    "in",
    builder.selectFrom(tasksIndexedBy("idx_tasks_requiring")).select("seq").$call(ready).where("requires", "is not", null).where(requiresOnly).$call(inClaimOrder).limit(boundCount("limit"))
  ).returning(TASK_COLUMNS)
);
function whereLeaseHolds(query) {
  return query.where("id", "=", param("id")).where("lease_token", "=", param("leaseToken")).where(held).where("lease_expires_at", ">", param("now"));
}
var startHeld = compile(
  builder.updateTable("tasks").set({
    status: sql4.lit(TaskStatus.IN_PROGRESS),
    updated_at: sql4`case when status = ${sql4.lit(TaskStatus.IN_PROGRESS)} then updated_at else ${param("now")} end`,
    history: sql4`case when status = ${sql4.lit(TaskStatus.IN_PROGRESS)} then history else ${historyPlusLine({
      from: TaskStatus.CLAIMED,
      to: TaskStatus.IN_PROGRESS,
      attempt: sql4.ref("attempts"),
      at: sql4`${param("now")}`
    })} end`,
    version: sql4`${sql4.ref("version")} + 1`
  }).$call(whereLeaseHolds)
);
var heartbeatHeld = compile(
  builder.updateTable("tasks").set({
    lease_expires_at: leaseUntil(sql4`started_at + timeout_ms`),
    version: sql4`${sql4.ref("version")} + 1`
  }).$call(whereLeaseHolds).returning("lease_expires_at")
);
var completed = {
  status: sql4.lit(TaskStatus.COMPLETED),
  result: param("result"),
  error: null,
  completed_at: param("now"),
  updated_at: param("now"),
  lease_expires_at: null,
  history: historyPlusLine({
    from: sql4.ref("status"),
    to: TaskStatus.COMPLETED,
    attempt: sql4.ref("attempts"),
    at: sql4`${param("now")}`
  }),
  version: sql4`${sql4.ref("version")} + 1`
};
var completeHeld = compile(
  builder.updateTable("tasks").set(completed).$call(whereLeaseHolds).where("has_dependants", "=", sql4.lit(0))
);
var completeHeldWithDependants = compile(builder.updateTable("tasks").set(completed).$call(whereLeaseHolds));
function unfinished(column) {
  const ref = sql4.ref(column);
  return sql4`(${ref} = ${sql4.lit(TaskStatus.PENDING)} or ${ref} = ${sql4.lit(TaskStatus.CLAIMED)} or ${ref} = ${sql4.lit(TaskStatus.IN_PROGRESS)})`;
}
var releaseDependants = compile(
  builder.updateTable("tasks").set({
    waiting_on: sql4`waiting_on - 1`,
    run_at: sql4`case when waiting_on = 1 and run_at <= ${param("now")} then null else run_at end`,
    version: sql4`${sql4.ref("version")} + 1`
  }).where(
    "id",
    "in",
    builder.selectFrom("task_dependencies").select("task_id").where("depends_on_id", "=", param("id"))
  ).where(unfinished("status")).where("waiting_on", ">", sql4.lit(0))
);
var dependencyError = sql4`'dependency ' || cause || ' ' || case when cause = ${param("id")} then ${param("ending")} else 'was cancelled' end`;
var cancelDependants = compile(
  builder.withRecursive(
    "doomed(task_id, cause, depth)",
    (db) => db.selectFrom("task_dependencies").innerJoin("tasks", "tasks.id", "task_dependencies.task_id").select([
      "task_dependencies.task_id",
      sql4`${param("id")}`.as("cause"),
      sql4`1`.as("depth")
    ]).where("task_dependencies.depends_on_id", "=", param("id")).where(unfinished("tasks.status")).union(
      db.selectFrom("doomed").innerJoin("task_dependencies", "task_dependencies.depends_on_id", "doomed.task_id").innerJoin("tasks", "tasks.id", "task_dependencies.task_id").select([
        "task_dependencies.task_id",
        sql4`doomed.task_id`.as("cause"),
        sql4`doomed.depth + 1`.as("depth")
      ]).where(unfinished("tasks.status"))
    )
  ).updateTable("tasks").from(
    (db) => (
      // The nearest cause and, of several equally near, the smallest id (as the reference store picks
      // it): the min of depth and id together, the depth zero-padded so the text order is the number's.
      db.selectFrom("doomed").select(["task_id as doomed_id", sql4`substr(min(printf('%08d', depth) || cause), 9)`.as("cause")]).groupBy("task_id").as("chosen")
    )
  ).set({
    status: sql4.lit(TaskStatus.CANCELLED),
    error: dependencyError,
    updated_at: param("now"),
    lease_expires_at: null,
    run_at: null,
    history: historyPlusLine({
      from: sql4.ref("tasks.status"),
      to: TaskStatus.CANCELLED,
      attempt: sql4.ref("tasks.attempts"),
      at: sql4`${param("now")}`,
      reason: dependencyError
    }),
    version: sql4`${sql4.ref("tasks.version")} + 1`
  }).whereRef("tasks.id", "=", "chosen.doomed_id")
);
var deleteReturning = compile(
  builder.deleteFrom("tasks").where("id", "=", param("id")).returning(["status", "has_dependants", "depends_on"])
);
var deleteEdgesFrom = compile(
  builder.deleteFrom("task_dependencies").where("depends_on_id", "=", param("id"))
);
var deleteEdgesTo = compile(
  builder.deleteFrom("task_dependencies").where("depends_on_id", "in", sql4`(select value from json_each(${param("dependsOn")}))`).where("task_id", "=", param("id"))
);
var deleteAllEdges = compile(builder.deleteFrom("task_dependencies"));
var selectById = compile(
  builder.selectFrom("tasks").select(TASK_COLUMNS).where("id", "=", param("id"))
);
var writePlanned = compile(
  builder.updateTable("tasks").set({
    status: param("status"),
    assigned_agent: param("assigned_agent"),
    updated_at: param("updated_at"),
    started_at: param("started_at"),
    completed_at: param("completed_at"),
    result: param("result"),
    error: param("error"),
    metadata: param("metadata"),
    attempts: param("attempts"),
    run_at: param("run_at"),
    lease_token: param("lease_token"),
    lease_expires_at: param("lease_expires_at"),
    // `:historyLine` is null when the status did not change. A held task given another agent without
    // a status change gets a holder line, so the holder's later lines (which name no agent) name it.
    history: sql4`case when ${param("historyLine")} is not null then coalesce(history, '') || ${param("historyLine")} when status in (${sql4.lit(TaskStatus.CLAIMED)}, ${sql4.lit(TaskStatus.IN_PROGRESS)}) and ${param("assigned_agent")} is not null and assigned_agent is not ${param("assigned_agent")} then coalesce(history, '') || ${sql4.lit(HOLDER_PREFIX)} || json_quote(${param("assigned_agent")}) || char(10) else history end`,
    // A retried task waits again for those of its dependencies (still existing) not COMPLETED: counted
    // in the write itself, so no dependency can complete between the count and the write. Only through
    // its edges: a deleted dependency's id reused by a new task is not its dependency (that task's
    // completion, which releases through the edges, would never count it down).
    waiting_on: sql4`case when ${param("recount")} = 1 then (select count(*) from json_each(tasks.depends_on) as dependency join task_dependencies as edge on edge.depends_on_id = dependency.value and edge.task_id = tasks.id join tasks as other on other.id = dependency.value where other.status <> ${sql4.lit(TaskStatus.COMPLETED)}) else waiting_on end`,
    version: sql4`${param("version")} + 1`
  }).where("seq", "=", param("seq")).where("id", "=", param("id")).where("version", "=", param("version"))
);
var deleteAll = compile(builder.deleteFrom("tasks"));
var selectCounts = compile(builder.selectFrom("task_counts").select(["name", "count"]));
var countHeld = compile(
  builder.selectFrom(tasksIndexedBy("idx_tasks_lease")).select((eb) => [
    eb.fn.countAll().as("held"),
    sql4`coalesce(sum(status = ${sql4.lit(TaskStatus.IN_PROGRESS)}), 0)`.as("in_progress")
  ]).where(held)
);
var selectHistory = compile(
  builder.selectFrom("tasks").select(["history", "created_at"]).where("id", "=", param("id"))
);
var countPending = compile(
  builder.selectNoFrom([
    sql4`${builder.selectFrom(tasksIndexedBy("idx_tasks_claim")).select((inner) => inner.fn.countAll().as("count")).$call(ready)} + ${builder.selectFrom(tasksIndexedBy("idx_tasks_delayed")).select((inner) => inner.fn.countAll().as("count")).$call(delayed)} + ${builder.selectFrom(tasksIndexedBy("idx_tasks_waiting")).select((inner) => inner.fn.countAll().as("count")).$call(waiting)}`.as("count")
  ])
);
var pendingTasks = builder.selectFrom(tasksIndexedBy("idx_tasks_claim")).selectAll().$call(ready).unionAll(builder.selectFrom(tasksIndexedBy("idx_tasks_delayed")).selectAll().$call(delayed)).unionAll(builder.selectFrom(tasksIndexedBy("idx_tasks_waiting")).selectAll().$call(waiting));
function filterShapeKey(filter) {
  return [
    filter.status === void 0 ? "" : filter.status === TaskStatus.PENDING ? "P" : isHeld(filter.status) ? "H" : "s",
    filter.assignedAgent === void 0 ? "" : "a",
    filter.priority === void 0 ? "" : "p",
    filter.limit === void 0 ? "" : "l",
    filter.offset === void 0 ? "" : "o"
  ].join("");
}
function isHeld(status) {
  return status === TaskStatus.CLAIMED || status === TaskStatus.IN_PROGRESS;
}
function filtered(filter) {
  let query = filter.status === TaskStatus.PENDING ? builder.selectFrom(pendingTasks.as("tasks")).select(TASK_COLUMNS) : filter.status !== void 0 && isHeld(filter.status) ? builder.selectFrom(tasksIndexedBy("idx_tasks_lease")).select(TASK_COLUMNS).where(held) : builder.selectFrom("tasks").select(TASK_COLUMNS);
  if (filter.status !== void 0 && filter.status !== TaskStatus.PENDING) {
    query = query.where("status", "=", param("status"));
  }
  if (filter.assignedAgent !== void 0) query = query.where("assigned_agent", "=", param("assignedAgent"));
  if (filter.priority !== void 0) query = query.where("priority", "=", param("priority"));
  return query;
}
function selectFiltered(filter) {
  let query = filtered(filter).$call(inClaimOrder);
  if (filter.limit !== void 0 || filter.offset !== void 0) {
    query = query.limit(filter.limit === void 0 ? sql4.lit(-1) : boundCount("limit"));
  }
  if (filter.offset !== void 0) query = query.offset(boundCount("offset"));
  return compile(query);
}
function selectAfter(filter, part) {
  const query = part === "same-priority" ? filtered(filter).where("priority", "=", param("cursorPriority")).where(sql4`(created_at, seq) > (${param("cursorCreatedAt")}, ${param("cursorSeq")})`).orderBy("created_at", "asc").orderBy("seq", "asc") : filtered(filter).where("priority", "<", param("cursorPriority")).$call(inClaimOrder);
  return compile(query.limit(boundCount("limit")));
}

// src/task-row.ts
function taskFromRow(row) {
  const [
    ,
    id,
    title,
    description,
    status,
    priority,
    agent,
    createdAt,
    updatedAt,
    startedAt,
    completedAt,
    result,
    error,
    metadata,
    ,
    attempts,
    maxAttempts,
    runAt,
    leaseToken,
    leaseExpiresAt,
    leaseMs,
    timeoutMs,
    idempotencyKey,
    requires,
    dependsOn
  ] = row;
  return {
    id,
    title,
    description,
    status,
    priority,
    assignedAgent: agent ?? void 0,
    createdAt,
    updatedAt,
    startedAt: startedAt ?? void 0,
    completedAt: completedAt ?? void 0,
    result: result ?? void 0,
    error: error ?? void 0,
    metadata: metadata === null ? void 0 : JSON.parse(metadata),
    attempts,
    maxAttempts,
    runAt: runAt ?? void 0,
    leaseToken,
    leaseExpiresAt: leaseExpiresAt ?? void 0,
    leaseMs: leaseMs ?? void 0,
    timeoutMs: timeoutMs ?? void 0,
    idempotencyKey: idempotencyKey ?? void 0,
    requires: requires === null ? void 0 : JSON.parse(requires),
    dependsOn: dependsOn === null ? void 0 : JSON.parse(dependsOn)
  };
}
function rowFromTask(task, base, metadataJson, version) {
  return [
    base[ROW.seq],
    task.id,
    task.title,
    task.description,
    task.status,
    task.priority,
    task.assignedAgent ?? null,
    task.createdAt,
    task.updatedAt,
    task.startedAt ?? null,
    task.completedAt ?? null,
    task.result ?? null,
    task.error ?? null,
    metadataJson,
    version,
    task.attempts,
    task.maxAttempts,
    task.runAt ?? null,
    task.leaseToken,
    task.leaseExpiresAt ?? null,
    task.leaseMs ?? null,
    task.timeoutMs ?? null,
    task.idempotencyKey ?? null,
    base[ROW.requires],
    base[ROW.dependsOn],
    base[ROW.hasDependants]
  ];
}

// src/task-pool.ts
var TaskPool = class {
  specificationVersion = TASK_STORE_SPECIFICATION_VERSION;
  /** The better-sqlite3 handle. Private, but the guide's raw-SQL examples reach it as `pool['db']`. */
  db;
  clock;
  limits;
  policy;
  random;
  statements;
  filterStatements = /* @__PURE__ */ new Map();
  /**
   * The rows this pool last claimed or updated, by task id (a few hundred at most). updateTask plans from
   * one instead of reading it again; the version compare-and-set catches a row changed since.
   */
  recentRows = /* @__PURE__ */ new Map();
  readAfterInSnapshot;
  readStats;
  /** createTasks with idempotency keys or dependencies: row by row, in one IMMEDIATE transaction. */
  insertEachInTransaction;
  /** Run `work` in an IMMEDIATE transaction (a savepoint inside one already open). */
  inTransaction;
  signal;
  health;
  path;
  readOnly;
  closed = false;
  /** The `now` of the last upkeep check; see claimTask. */
  upkeepCheckedAt = Number.NaN;
  /**
   * @param dbPath A database file, created when missing; `':memory:'` (the default) for a private
   * in-memory pool.
   */
  constructor(dbPath = ":memory:", options) {
    const resolved = resolvePoolOptions(options);
    ({ clock: this.clock, limits: this.limits, policy: this.policy, random: this.random } = resolved);
    const { changePollMs } = resolved;
    this.path = dbPath;
    this.readOnly = resolved.readOnly;
    this.db = openDatabase(dbPath, {
      busyTimeoutMs: resolved.busyTimeoutMs,
      synchronous: resolved.synchronous,
      readOnly: resolved.readOnly,
      checkIntegrityOnOpen: resolved.checkIntegrityOnOpen
    });
    this.health = new DatabaseHealth(this.db, dbPath);
    const prepare = (shape) => new PreparedQuery(this.db, shape);
    this.statements = {
      insert: prepare(insertTask),
      insertFull: prepare(insertFullTask),
      selectByKey: prepare(selectByIdempotencyKey),
      insertFromJson: prepare(insertTasksFromJson),
      statusesOf: prepare(selectStatusesOf),
      insertDependencies: prepare(insertDependencies),
      markHasDependants: prepare(markHasDependants),
      upkeepDue: prepare(upkeepDue),
      reclaimExpired: prepare(reclaimExpired),
      promoteDue: prepare(promoteDue),
      claim: prepare(claimNext),
      claimBatch: prepare(claimBatch),
      claimBatchWithin: prepare(claimBatchWithin),
      claimBatchExclusive: prepare(claimBatchExclusive),
      start: prepare(startHeld),
      heartbeat: prepare(heartbeatHeld),
      complete: prepare(completeHeld),
      completeWithDependants: prepare(completeHeldWithDependants),
      releaseDependants: prepare(releaseDependants),
      cancelDependants: prepare(cancelDependants),
      history: prepare(selectHistory),
      selectById: prepare(selectById),
      writePlanned: prepare(writePlanned),
      deleteReturning: prepare(deleteReturning),
      deleteEdgesFrom: prepare(deleteEdgesFrom),
      deleteEdgesTo: prepare(deleteEdgesTo),
      deleteAll: prepare(deleteAll),
      deleteAllEdges: prepare(deleteAllEdges),
      counts: prepare(selectCounts),
      countPending: prepare(countPending),
      countHeld: prepare(countHeld)
    };
    const readStats = this.db.transaction(() => ({
      counters: this.statements.counts.all(),
      pending: this.statements.countPending.get()[0],
      held: this.statements.countHeld.get()
    }));
    this.readStats = () => readStats.deferred();
    this.readAfterInSnapshot = this.db.transaction((valid, after, named) => this.readAfter(valid, after, named));
    const insertEach = this.db.transaction(
      (tasks, valid) => tasks.map((task, i) => this.insertOne(task, valid[i]))
    );
    this.insertEachInTransaction = (tasks, valid) => insertEach.immediate(tasks, valid);
    const transaction = this.db.transaction((work) => work());
    this.inTransaction = (work) => transaction.immediate(work);
    const inMemory = dbPath === ":memory:" || dbPath === "";
    const dataVersion = this.db.prepare("pragma data_version").pluck();
    this.signal = new ChangeSignal(inMemory ? void 0 : () => dataVersion.get(), changePollMs);
  }
  /**
   * Add a PENDING task. Priority defaults to MEDIUM.
   *
   * ### Examples
   * ```ts
   * const task = pool.createTask({ title: 'Build user API', description: 'CRUD endpoints', priority: TaskPriority.HIGH });
   * ```
   */
  createTask(input) {
    this.assertOpen("createTask");
    return this.insertTasks([input], "createTask")[0];
  }
  /**
   * Add many PENDING tasks in one transaction, in order. One invalid input refuses the whole batch.
   *
   * ### Examples
   * ```ts
   * pool.createTasks([{ title: 'a', description: 'first' }, { title: 'b', description: 'second' }]);
   * ```
   */
  createTasks(inputs) {
    this.assertOpen("createTasks");
    return this.insertTasks(inputs, "createTasks");
  }
  /** Both create methods, with the name the caller used, so a refusal names the call the user made. */
  insertTasks(inputs, operation) {
    const valid = validateCreateInputs(inputs, this.limits);
    const now = this.clock.now();
    const tasks = valid.map((input) => newPendingTask(input, now, this.policy));
    const created = this.guard(operation, void 0, () => {
      if (valid.some((input) => input.idempotencyKey !== void 0 || input.dependsOn !== void 0)) {
        return this.insertEachInTransaction(tasks, valid);
      }
      refuseRepeatedIds(valid);
      try {
        if (tasks.length === 1) {
          this.insertOne(tasks[0], valid[0]);
        } else if (tasks.length > 1) {
          const rows = tasks.map((t, i) => [
            t.id,
            t.title,
            t.description,
            t.priority,
            valid[i]?.metadataJson ?? null,
            t.maxAttempts,
            t.runAt ?? null,
            t.leaseMs ?? null,
            t.timeoutMs ?? null,
            t.requires === void 0 ? null : JSON.stringify(t.requires)
          ]);
          this.statements.insertFromJson.run({ rows: JSON.stringify(rows), now });
        }
      } catch (error) {
        if (error.code === "SQLITE_CONSTRAINT_UNIQUE") this.refuseTakenIds(valid);
        throw error;
      }
      return tasks;
    });
    if (created.some((task, i) => task.id === tasks[i]?.id)) this.signal.changed();
    return created;
  }
  /** Throw for the first caller-chosen id of `valid` that a task already has, if any. */
  refuseTakenIds(valid) {
    const chosen = valid.flatMap((input) => input.id === void 0 ? [] : [input.id]);
    if (chosen.length === 0) return;
    const taken = new Set(
      this.statements.statusesOf.all({ ids: JSON.stringify(chosen) }).map(([id]) => id)
    );
    const first = chosen.find((id) => taken.has(id));
    if (first !== void 0) throw taskIdTaken(first);
  }
  /**
   * Insert one new task; with an idempotency key already taken, return the task that has it instead.
   * Dependencies are looked up here, inside the creating transaction: a dependency that does not exist
   * refuses the batch, one already FAILED or CANCELLED creates the task CANCELLED, and each one not yet
   * COMPLETED gets an edge and the task waits for it.
   */
  insertOne(task, input) {
    const values = {
      id: task.id,
      title: task.title,
      description: task.description,
      priority: task.priority,
      now: task.createdAt,
      metadata: input.metadataJson ?? null,
      maxAttempts: task.maxAttempts,
      runAt: task.runAt ?? null,
      leaseMs: task.leaseMs ?? null,
      timeoutMs: task.timeoutMs ?? null,
      requires: task.requires === void 0 ? null : JSON.stringify(task.requires)
    };
    const plain = task.idempotencyKey === void 0 && task.dependsOn === void 0;
    if (plain && input.id === void 0) {
      this.statements.insert.run(values);
      return task;
    }
    const idempotencyKey = task.idempotencyKey ?? null;
    if (idempotencyKey !== null) {
      const existing = this.statements.selectByKey.get({ idempotencyKey });
      if (existing) return taskFromRow(existing);
    }
    if (input.id !== void 0) this.refuseTakenIds([input]);
    if (plain) {
      this.statements.insert.run(values);
      return task;
    }
    const { open, ended } = this.checkDependencies(task, input.id);
    const created = ended === void 0 ? task : { ...planCancel(task, task.createdAt), error: ended };
    const history = ended === void 0 ? null : encodeHistoryLine(transitionRecord(task, created, task.createdAt, ended), task.createdAt);
    this.statements.insertFull.run({
      ...values,
      status: created.status,
      updatedAt: created.updatedAt,
      runAt: created.runAt ?? null,
      error: created.error ?? null,
      history,
      idempotencyKey,
      dependsOn: task.dependsOn === void 0 ? null : JSON.stringify(task.dependsOn),
      waitingOn: open.length
    });
    if (open.length > 0) {
      const ids = JSON.stringify(open);
      this.statements.insertDependencies.run({ ids, taskId: task.id });
      this.statements.markHasDependants.run({ ids });
    }
    return created;
  }
  /**
   * A new task's dependencies, read under the write lock: those not yet COMPLETED (`open`), and why the
   * task is cancelled at once (`ended`) when one of them already FAILED or was CANCELLED. Throws
   * `InvalidInputError` for a dependency that does not exist, or the task itself.
   */
  checkDependencies(task, callerId) {
    const dependsOn = task.dependsOn;
    if (dependsOn === void 0) return { open: [], ended: void 0 };
    const rows = this.statements.statusesOf.all({ ids: JSON.stringify(dependsOn) });
    const statuses = new Map(rows);
    const open = [];
    let ended;
    for (const id of dependsOn) {
      if (id === task.id) {
        throw selfDependency(id);
      }
      const status = statuses.get(id);
      if (status === void 0) {
        throw unknownDependency(id, callerId);
      }
      if (status === TaskStatus.COMPLETED) continue;
      open.push(id);
      if (ended === void 0 && isEnded(status)) {
        ended = `dependency ${id} ${endedAs(status)}`;
      }
    }
    return { open, ended };
  }
  /**
   * Atomically claim the next pending task: highest priority, then oldest, then first created. With
   * `capabilities`, only a task whose `requires` are all among them (or that requires nothing); with
   * `exclusive` too, only a task that requires something.
   *
   * ### Examples
   * ```ts
   * const task = pool.claimTask('agent-worker-1');
   * if (task) console.log(`Claimed: ${task.title}`);
   * const review = pool.claimTask('reviewer-1', { capabilities: ['review'] });
   * ```
   */
  claimTask(agentName, options) {
    this.assertOpen("claimTask");
    const agent = validateAgentName(agentName);
    if (options !== void 0) {
      const filter = validateClaimOptions(options);
      if (filter.capabilities !== void 0) return this.claimMany("claimTask", agent, 1, filter)[0] ?? null;
    }
    const now = this.clock.now();
    let reclaimed = false;
    const row = this.guard("claimTask", void 0, () => {
      reclaimed = this.upkeepOncePerMs(now);
      return this.statements.claim.get({ agent, now, leaseMs: this.policy.leaseMs });
    });
    if (!row) {
      if (reclaimed) this.signal.changed();
      return null;
    }
    this.remember(row);
    this.signal.changed();
    return taskFromRow(row);
  }
  /**
   * Claim up to `limit` tasks (1 to 1 000) for one agent in one statement, in claim order: each exactly
   * as {@link TaskPool.claimTask} would claim it, with its own attempt, fencing token, lease and history
   * line. An empty array when nothing is claimable.
   *
   * ### Examples
   * ```ts
   * const batch = pool.claimTasks('worker-1', 32, { capabilities: ['code'] });
   * pool.completeTasks(batch.map((task) => ({ lease: task, result: 'done' })));
   * ```
   */
  claimTasks(agentName, limit, options) {
    this.assertOpen("claimTasks");
    const max = validateClaimLimit(limit);
    const agent = validateAgentName(agentName);
    return this.claimMany("claimTasks", agent, max, validateClaimOptions(options));
  }
  /** Claim up to `limit` tasks with the statement for the filter: none, capabilities, exclusive. */
  claimMany(operation, agent, limit, filter) {
    const now = this.clock.now();
    let reclaimed = false;
    const rows = this.guard(operation, void 0, () => {
      reclaimed = this.upkeepOncePerMs(now);
      const values = { agent, now, leaseMs: this.policy.leaseMs, limit };
      if (filter.capabilities === void 0) return this.statements.claimBatch.all(values);
      const statement = filter.exclusive ? this.statements.claimBatchExclusive : this.statements.claimBatchWithin;
      return statement.all({ ...values, capabilities: JSON.stringify(filter.capabilities) });
    });
    if (rows.length > 1) rows.sort(inClaimOrder2);
    for (const row of rows) this.remember(row);
    if (rows.length > 0 || reclaimed) this.signal.changed();
    return rows.map(taskFromRow);
  }
  /**
   * Upkeep before a claim, at most once per millisecond: within one millisecond nothing new can expire or
   * come due (leases and delays always end in the future of the write that set them). Whether it
   * reclaimed anything.
   */
  upkeepOncePerMs(now) {
    if (now === this.upkeepCheckedAt) return false;
    const reclaimed = this.upkeep(now);
    this.upkeepCheckedAt = now;
    return reclaimed;
  }
  /**
   * Before a claim: reclaim leases that ran out, then make due delayed tasks ready. A cheap read says
   * whether either is needed, so the common claim stays one write. Each step is atomic; a claim between
   * them in another process sees a consistent pool either way. Whether it reclaimed anything.
   */
  upkeep(now) {
    const [expired, due] = this.statements.upkeepDue.get({ now });
    const report = expired === null ? void 0 : this.reclaimAt(now);
    if (due !== null) this.statements.promoteDue.run({ now });
    return report !== void 0 && report.requeued + report.failed > 0;
  }
  /**
   * Requeue or fail every task whose lease ran out by `now`, in one statement, and cancel the dependants
   * of those that failed for good, in the same transaction; count what it did.
   */
  reclaimAt(now) {
    return this.inTransaction(() => {
      const report = { requeued: 0, failed: 0 };
      const rows = this.statements.reclaimExpired.all({ now });
      for (const [status, id, hasDependants] of rows) {
        if (status !== TaskStatus.FAILED) {
          report.requeued++;
          continue;
        }
        report.failed++;
        if (hasDependants === 1) this.cancelDependants(id, TaskStatus.FAILED, now);
      }
      return report;
    });
  }
  /** Cancel, transitively, the unfinished dependants of `id`, which ended `status` (or is being deleted). */
  cancelDependants(id, status, now) {
    const ending = status === "deleted" ? "was deleted" : endedAs(status);
    this.statements.cancelDependants.run({ id, ending, now });
  }
  /**
   * Start work on a claimed task: CLAIMED → IN_PROGRESS. Fenced: throws `LeaseLostError` (writing
   * nothing) unless `lease` is the task's current, unexpired claim.
   *
   * ### Examples
   * ```ts
   * const task = pool.claimTask('agent-1');
   * if (task) pool.startTask(task);
   * ```
   */
  startTask(lease) {
    this.assertOpen("startTask");
    const valid = validateLease(lease);
    const now = this.clock.now();
    this.guard("startTask", valid.id, () => {
      const values = { id: valid.id, leaseToken: valid.leaseToken, now };
      if (this.statements.start.run(values).changes === 0) this.throwLeaseLoss(valid, now);
    });
    this.signal.changed();
  }
  /**
   * Start many held tasks in one transaction, each through the same fenced statement as
   * {@link TaskPool.startTask}. A lost lease is that item's outcome (never thrown); outcomes are in input
   * order.
   *
   * ### Examples
   * ```ts
   * const outcomes = pool.startTasks(pool.claimTasks('worker-1', 16));
   * ```
   */
  startTasks(leases) {
    this.assertOpen("startTasks");
    const valid = validateLeases(leases);
    return this.writeGroup("startTasks", valid, (lease, now) => {
      const values = { id: lease.id, leaseToken: lease.leaseToken, now };
      return this.statements.start.run(values).changes === 1;
    });
  }
  /**
   * Keep a lease alive: it runs a full lease length from now, but never past the task's `timeoutMs`.
   * One indexed write. Throws `LeaseLostError` when the lease is gone; `reason: 'cancelled'` means the
   * task was cancelled and the work should stop.
   *
   * ### Examples
   * ```ts
   * const timer = setInterval(() => pool.heartbeat(task), 10_000);
   * ```
   */
  heartbeat(lease) {
    this.assertOpen("heartbeat");
    const valid = validateLease(lease);
    const now = this.clock.now();
    return this.guard("heartbeat", valid.id, () => {
      const values = { id: valid.id, leaseToken: valid.leaseToken, now, leaseMs: this.policy.leaseMs };
      const row = this.statements.heartbeat.get(values);
      if (!row) this.throwLeaseLoss(valid, now);
      this.signal.changed();
      return { leaseExpiresAt: row[0] };
    });
  }
  /**
   * Finish a claimed task: COMPLETED with `result`. Fenced: only the current, unexpired lease writes,
   * so a task's result is written once even when a slow holder wakes up after another took over.
   *
   * ### Examples
   * ```ts
   * const task = pool.claimTask('agent-1');
   * if (task) pool.completeTask(task, 'Successfully implemented feature');
   * ```
   */
  completeTask(lease, result) {
    this.assertOpen("completeTask");
    const valid = validateLease(lease);
    const text2 = validateOptionalText("result", result, valid.id);
    const now = this.clock.now();
    this.recentRows.delete(valid.id);
    this.guard("completeTask", valid.id, () => {
      const values = { id: valid.id, leaseToken: valid.leaseToken, now, result: text2 ?? null };
      if (this.statements.complete.run(values).changes === 1) return;
      if (!this.inTransaction(() => this.completeWithDependants(values))) this.throwLeaseLoss(valid, now);
    });
    this.signal.changed();
  }
  /**
   * Complete many held tasks in one transaction (one durable write), each through the same fenced
   * statement as {@link TaskPool.completeTask}: a lost lease refuses that completion only, reported in its
   * outcome, and the others commit. Outcomes are in input order; when it returns, every `ok` is durable.
   *
   * ### Examples
   * ```ts
   * const outcomes = pool.completeTasks(batch.map((task) => ({ lease: task, result: 'done' })));
   * for (const o of outcomes) if (!o.ok) console.warn(o.error.message);
   * ```
   */
  completeTasks(completions) {
    this.assertOpen("completeTasks");
    const valid = validateCompletions(completions);
    for (const item of valid) this.recentRows.delete(item.id);
    return this.writeGroup("completeTasks", valid, (item, now) => {
      const values = { id: item.id, leaseToken: item.leaseToken, now, result: item.result ?? null };
      return this.statements.complete.run(values).changes === 1 || this.completeWithDependants(values);
    });
  }
  /**
   * Inside a transaction: complete a held task that may have dependants, and release them (each waits
   * for one dependency fewer). `false` when the lease does not hold.
   */
  completeWithDependants(values) {
    if (this.statements.completeWithDependants.run(values).changes === 0) return false;
    this.statements.releaseDependants.run({ id: values.id, now: values.now });
    return true;
  }
  /**
   * One IMMEDIATE transaction of fenced writes, in order; an item whose write matched no row reads its
   * task only to explain the refusal, and reports it instead of throwing.
   */
  writeGroup(operation, items, write) {
    if (items.length === 0) return [];
    const now = this.clock.now();
    const outcomes = this.guard(
      operation,
      void 0,
      () => this.inTransaction(
        () => items.map((item) => {
          if (write(item, now)) return { id: item.id, ok: true };
          return { id: item.id, ok: false, error: this.leaseLossOf(item, now) };
        })
      )
    );
    if (outcomes.some((outcome) => outcome.ok)) this.signal.changed();
    return outcomes;
  }
  /**
   * The attempt failed. With attempts left (and `retry` not false) the task goes back to PENDING,
   * claimable after an exponential backoff with jitter; after the last attempt it is FAILED. Fenced.
   *
   * ### Examples
   * ```ts
   * const outcome = pool.failTask(task, 'API returned 503');
   * if (outcome.status === TaskStatus.PENDING) console.log('retrying at', new Date(outcome.runAt!));
   * ```
   */
  failTask(lease, error, options) {
    this.assertOpen("failTask");
    const valid = validateLease(lease);
    const message = validateText("error", error, valid.id);
    const retry = validateOptionalBoolean("retry", validateOptions("failTask", options).retry, valid.id) !== false;
    const next = this.writeDecision("failTask", valid.id, (task, now) => {
      assertLeaseHeld(task, valid, now);
      return { next: planFailure(task, message, now, this.policy, this.random, retry), reason: message };
    });
    if (!next) this.throwLeaseLoss(valid, this.clock.now());
    return { status: next.status, attempts: next.attempts, runAt: next.runAt };
  }
  /**
   * Hand a claimed task back unfinished (e.g. on shutdown): PENDING at once, and the attempt does not
   * count. Fenced.
   */
  releaseTask(lease, options) {
    this.assertOpen("releaseTask");
    const valid = validateLease(lease);
    const reason = validateOptionalText("reason", validateOptions("releaseTask", options).reason, valid.id) ?? "released by its holder";
    const released = this.writeDecision("releaseTask", valid.id, (task, now) => {
      assertLeaseHeld(task, valid, now);
      return { next: planRelease(task, now), reason };
    });
    if (!released) this.throwLeaseLoss(valid, this.clock.now());
  }
  /**
   * Cancel a task that is not finished. A holder learns at its next heartbeat (`LeaseLostError` with
   * `reason: 'cancelled'`). `null` when there is no such task.
   *
   * ### Examples
   * ```ts
   * pool.cancelTask(task.id, { reason: 'superseded by a newer request' });
   * ```
   */
  cancelTask(id, options) {
    this.assertOpen("cancelTask");
    const taskId = validateTaskId(id);
    const reason = validateOptionalText("reason", validateOptions("cancelTask", options).reason, taskId);
    return this.writeDecision("cancelTask", taskId, (task, now) => ({ next: planCancel(task, now), reason }));
  }
  /**
   * Run a FAILED or CANCELLED task again on purpose: PENDING, attempts back to 0, history kept,
   * claimable from `runAt` (default now). `null` when there is no such task.
   *
   * ### Examples
   * ```ts
   * for (const task of pool.getTasks({ status: TaskStatus.FAILED })) pool.retryTask(task.id);
   * ```
   */
  retryTask(id, options) {
    this.assertOpen("retryTask");
    const taskId = validateTaskId(id);
    const runAt = validateTime("runAt", validateOptions("retryTask", options).runAt, taskId);
    return this.writeDecision("retryTask", taskId, (task, now) => ({
      next: planRetry(task, now, runAt),
      reason: "retried on request"
    }));
  }
  /**
   * Reclaim every lease that ran out now: back to PENDING, or FAILED after the last attempt. Claims do
   * this on their own; call it to settle the pool without claiming.
   */
  reclaimExpired() {
    this.assertOpen("reclaimExpired");
    const now = this.clock.now();
    const report = this.guard("reclaimExpired", void 0, () => this.reclaimAt(now));
    if (report.requeued + report.failed > 0) this.signal.changed();
    return report;
  }
  /**
   * Every status change of a task, oldest first: who, which attempt, when and why. Each is recorded by
   * the statement that makes it, and raw SQL's by a trigger, so those appear too. Empty for an unknown id.
   *
   * ### Examples
   * ```ts
   * for (const step of pool.getTaskHistory(task.id)) console.log(step.attempt, step.from, '→', step.to, step.reason);
   * ```
   */
  getTaskHistory(id) {
    this.assertOpen("getTaskHistory");
    const taskId = validateTaskId(id);
    const row = this.guard(
      "getTaskHistory",
      taskId,
      () => this.statements.history.get({ id: taskId })
    );
    return row ? decodeHistory(row[0], taskId, row[1]) : [];
  }
  /** A fenced write matched no row: read the task and throw the reason its lease no longer holds. */
  throwLeaseLoss(lease, now) {
    throw this.leaseLossOf(lease, now);
  }
  /** A fenced write matched no row: read the task for the reason its lease no longer holds. */
  leaseLossOf(lease, now) {
    const row = this.statements.selectById.get({ id: lease.id });
    const lost = leaseLoss(row ? taskFromRow(row) : null, lease, now);
    if (lost) return lost;
    throw new StorageError(`A fenced write to task ${lease.id} matched no row although its lease holds; retry it.`, {
      taskId: lease.id
    });
  }
  /** The task with this id, or `null`. */
  getTask(id) {
    this.assertOpen("getTask");
    const taskId = validateTaskId(id);
    const row = this.guard("getTask", taskId, () => this.statements.selectById.get({ id: taskId }));
    return row ? taskFromRow(row) : null;
  }
  /**
   * Change a task. A refused status change throws `InvalidTransitionError` and writes nothing.
   *
   * ### Examples
   * ```ts
   * pool.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'Successfully implemented feature' });
   * ```
   */
  updateTask(id, update) {
    this.assertOpen("updateTask");
    const taskId = validateTaskId(id);
    const { metadataJson, ...fields } = validateUpdateInput(taskId, update, this.limits);
    return this.writeDecision(
      "updateTask",
      taskId,
      (task, now) => ({ next: planUpdate(task, fields, now, this.policy.leaseMs), reason: void 0 }),
      metadataJson
    );
  }
  /**
   * Read a task, let core decide its next state, and write it with a compare-and-set on the row's
   * version; decide again on a fresh read when the row moved meanwhile. No lock is held while deciding,
   * so a slow decision never blocks other processes' writes. `null` when there is no such task.
   */
  writeDecision(operation, taskId, decide, metadataJson) {
    return this.guard(operation, taskId, () => {
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
        const remembered = attempt === 0 ? this.recentRows.get(taskId) : void 0;
        this.recentRows.delete(taskId);
        const row = remembered ?? this.statements.selectById.get({ id: taskId });
        if (!row) return null;
        const current = taskFromRow(row);
        let decision;
        try {
          decision = decide(current, this.clock.now());
        } catch (error) {
          if (remembered) continue;
          throw error;
        }
        const { next, reason } = decision;
        const written = rowFromTask(next, row, metadataJson ?? row[ROW.metadata], row[ROW.version] + 1);
        const values = {
          seq: written[ROW.seq],
          id: taskId,
          status: written[ROW.status],
          assigned_agent: written[ROW.assignedAgent],
          updated_at: written[ROW.updatedAt],
          started_at: written[ROW.startedAt],
          completed_at: written[ROW.completedAt],
          result: written[ROW.result],
          error: written[ROW.error],
          metadata: written[ROW.metadata],
          attempts: written[ROW.attempts],
          run_at: written[ROW.runAt],
          lease_token: written[ROW.leaseToken],
          lease_expires_at: written[ROW.leaseExpiresAt],
          historyLine: next.status === current.status ? null : encodeHistoryLine(transitionRecord(current, next, next.updatedAt, reason), current.createdAt),
          // Back in line from FAILED or CANCELLED (a retry): count again what it waits for.
          recount: next.status === TaskStatus.PENDING && isEnded(current.status) && row[ROW.dependsOn] !== null ? 1 : 0,
          version: row[ROW.version]
        };
        const dependants = row[ROW.hasDependants] === 1 ? dependantsEffect(current.status, next.status) : void 0;
        const write = () => {
          if (this.statements.writePlanned.run(values).changes !== 1) return false;
          if (dependants === "release") this.statements.releaseDependants.run({ id: taskId, now: next.updatedAt });
          else if (dependants !== void 0) this.cancelDependants(taskId, dependants, next.updatedAt);
          return true;
        };
        if (dependants === void 0 ? write() : this.inTransaction(write)) {
          if (!isTerminal(next.status)) this.remember(written);
          if (metadataJson !== void 0) next.metadata = JSON.parse(metadataJson);
          this.signal.changed();
          return next;
        }
      }
      throw new StorageError(
        `${operation} gave up on task ${taskId}: another writer changed it before each of ${MAX_UPDATE_ATTEMPTS} attempts. Retry, or find what rewrites it in a loop.`,
        { taskId }
      );
    });
  }
  /** Keep a row for the next updateTask of its task, unless it is large; the oldest go first. */
  remember(row) {
    const size = (row[ROW.metadata]?.length ?? 0) + (row[ROW.result]?.length ?? 0) + (row[ROW.error]?.length ?? 0);
    if (size > MAX_REMEMBERED_ROW_CHARS) return;
    this.recentRows.set(row[ROW.id], row);
    if (this.recentRows.size > MAX_REMEMBERED_ROWS) {
      this.recentRows.delete(this.recentRows.keys().next().value);
    }
  }
  /**
   * Matching tasks, by priority (highest first) then age (oldest first). Page with `limit`/`offset`.
   *
   * ### Examples
   * ```ts
   * const criticalPending = pool.getTasks({ status: TaskStatus.PENDING, priority: TaskPriority.CRITICAL });
   * ```
   */
  getTasks(filter) {
    this.assertOpen("getTasks");
    const valid = validateFilter(filter);
    const named = {};
    if (valid.status !== void 0 && valid.status !== TaskStatus.PENDING) named.status = valid.status;
    if (valid.assignedAgent !== void 0) named.assignedAgent = valid.assignedAgent;
    if (valid.priority !== void 0) named.priority = valid.priority;
    if (valid.limit !== void 0) named.limit = valid.limit;
    if (valid.offset !== void 0) named.offset = valid.offset;
    const rows = this.guard(
      "getTasks",
      valid.after,
      () => valid.after === void 0 ? this.filterStatement(valid, "page", selectFiltered).all(named) : this.readAfterInSnapshot.deferred(valid, valid.after, named)
    );
    return rows.map(taskFromRow);
  }
  /** Keyset paging: the rest of the cursor's priority, then lower priorities, in one read snapshot. */
  readAfter(valid, after, named) {
    const cursor = this.statements.selectById.get({ id: after });
    if (!cursor) throw unknownCursor(after);
    const limit = valid.limit ?? -1;
    const keys = {
      ...named,
      cursorPriority: cursor[ROW.priority],
      cursorCreatedAt: cursor[ROW.createdAt],
      cursorSeq: cursor[ROW.seq]
    };
    const same = this.filterStatement(valid, "same-priority", (f) => selectAfter(f, "same-priority"));
    const rows = same.all({ ...keys, limit });
    if (limit !== -1 && rows.length >= limit) return rows;
    const lower = this.filterStatement(valid, "lower-priority", (f) => selectAfter(f, "lower-priority"));
    return rows.concat(lower.all({ ...keys, limit: limit === -1 ? -1 : limit - rows.length }));
  }
  /** The prepared statement for one filter shape and query kind, prepared on first use. */
  filterStatement(valid, kind, build) {
    const key = `${kind}:${filterShapeKey(valid)}`;
    let statement = this.filterStatements.get(key);
    if (!statement) {
      statement = new PreparedQuery(this.db, build(valid));
      this.filterStatements.set(key, statement);
    }
    return statement;
  }
  /**
   * Counts by status, in one snapshot. Pending is an index-only count over the claim and delayed
   * indexes, claimed and in-progress one over the lease index; the total, failed and cancelled are
   * counters kept by triggers; completed is the rest. So the cost follows the queue and the live work,
   * never the size of the history, and claiming, starting and completing write no counter.
   *
   * ### Examples
   * ```ts
   * const stats = pool.getStats();
   * console.log(`Progress: ${stats.completed}/${stats.total}`);
   * ```
   */
  getStats() {
    this.assertOpen("getStats");
    const { counters, pending: pending2, held: held2 } = this.guard("getStats", void 0, this.readStats);
    const stats = emptyStats();
    for (const [name, count] of counters) {
      if (name === "total") stats.total = count;
      else stats[STATS_KEY[name]] = count;
    }
    stats.pending = pending2;
    stats.inProgress = held2[1];
    stats.claimed = held2[0] - held2[1];
    stats.completed = stats.total - pending2 - stats.claimed - stats.inProgress - stats.failed - stats.cancelled;
    return stats;
  }
  /** `true` if the task existed and was deleted, `false` if there was no such task. */
  deleteTask(id) {
    this.assertOpen("deleteTask");
    const taskId = validateTaskId(id);
    this.recentRows.delete(taskId);
    const now = this.clock.now();
    const deleted = this.guard(
      "deleteTask",
      taskId,
      () => this.inTransaction(() => {
        const row = this.statements.deleteReturning.get({
          id: taskId
        });
        if (!row) return false;
        const [status, hasDependants, dependsOn] = row;
        if (hasDependants === 1) {
          if (status !== TaskStatus.COMPLETED) this.cancelDependants(taskId, "deleted", now);
          this.statements.deleteEdgesFrom.run({ id: taskId });
        }
        if (dependsOn !== null) this.statements.deleteEdgesTo.run({ id: taskId, dependsOn });
        return true;
      })
    );
    if (deleted) this.signal.changed();
    return deleted;
  }
  /** Delete every task. Destructive and cannot be undone. */
  clearAll() {
    this.assertOpen("clearAll");
    this.recentRows.clear();
    this.guard(
      "clearAll",
      void 0,
      () => this.inTransaction(() => {
        this.statements.deleteAll.run();
        this.statements.deleteAllEdges.run();
      })
    );
    this.signal.changed();
  }
  /**
   * Call `listener` soon after the pool changes: after the write returns, for writes through this pool
   * (one call per burst: every write of one synchronous run shares it), and within `changePollMs` for
   * writes by other processes or connections on the same file. A hint to look again, not a log. Returns
   * a function that unsubscribes; no timer runs once the last listener is gone, nor after `close()`.
   *
   * ### Examples
   * ```ts
   * const stop = pool.onChange(() => wakeIdleWorkers());
   * // later
   * stop();
   * ```
   */
  onChange(listener) {
    this.assertOpen("onChange");
    if (typeof listener !== "function") {
      throw new InvalidInputError("listener", "onChange takes a function to call when the pool changes.");
    }
    return this.signal.subscribe(listener);
  }
  /**
   * Ask SQLite whether the file is sound: `quick` (default false) runs `PRAGMA quick_check`, which
   * checks every page's structure; otherwise `PRAGMA integrity_check` also checks that every index
   * entry matches its row (a damaged index makes `getTask` miss a task that is there). Reads the whole
   * file and writes nothing; at most 100 findings. A damaged page is a finding, not an exception.
   *
   * ### Examples
   * ```ts
   * const report = pool.checkIntegrity({ quick: true });
   * if (!report.ok) console.error('tasks.db is damaged:', report.findings.join('\n'));
   * ```
   */
  checkIntegrity(options) {
    this.assertOpen("checkIntegrity");
    const quick = validateOptionalBoolean("quick", validateOptions("checkIntegrity", options).quick) ?? false;
    return this.guard("checkIntegrity", void 0, () => checkIntegrity(this.db, quick));
  }
  /** Close the database. Later calls throw `StoreClosedError`; closing twice is harmless. */
  close() {
    if (this.closed) return;
    this.closed = true;
    this.signal.close();
    this.db.close();
  }
  openedReadOnly(operation, taskId) {
    return new ReadOnlyDatabaseError(
      this.path,
      "opened_read_only",
      `Cannot ${operation}${taskId === void 0 ? "" : ` task ${taskId}`}: this pool opened ${this.path} with readOnly: true; nothing was written. Open another pool without readOnly to change tasks.`,
      { taskId }
    );
  }
  assertOpen(operation) {
    if (this.closed) throw new StoreClosedError(operation);
  }
  /** Run storage work, turning driver errors into typed errors that say what failed and what to do. */
  guard(operation, taskId, work) {
    try {
      if (this.readOnly && !READ_OPERATIONS.has(operation)) throw this.openedReadOnly(operation, taskId);
      this.health.beforeOperation(operation);
      return work();
    } catch (error) {
      throw this.health.translate(error, operation, taskId);
    }
  }
};
var READ_OPERATIONS = /* @__PURE__ */ new Set(["getTask", "getTasks", "getStats", "getTaskHistory", "checkIntegrity"]);
function inClaimOrder2(a, b) {
  return b[ROW.priority] - a[ROW.priority] || a[ROW.createdAt] - b[ROW.createdAt] || a[ROW.seq] - b[ROW.seq];
}
var MAX_REMEMBERED_ROWS = 256;
var MAX_REMEMBERED_ROW_CHARS = 16 * 1024;
var MAX_UPDATE_ATTEMPTS = 50;
export {
  APPLICATION_ID,
  DEFAULT_LEASE_POLICY,
  DatabaseBusyError,
  DatabaseCorruptError,
  DiskFullError,
  ForeignDatabaseError,
  InvalidInputError,
  InvalidTransitionError,
  LeaseLostError,
  NativeDriverError,
  NotADatabaseError,
  OmcError,
  ReadOnlyDatabaseError,
  SCHEMA_VERSION,
  SchemaTooNewError,
  StorageError,
  StoreClosedError,
  TaskPool,
  TaskPriority,
  TaskStatus,
  newTaskId
};
