package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which extra arguments a user may hand to a PostgreSQL client program, parsed the way that
 * program's getopt_long parses them. Options that would break the tool's contract are refused with
 * the reason; unknown options (including the abbreviations getopt_long would accept) are refused
 * too, because an abbreviation could hide a refused option.
 */
final class OptionPolicy {
  /** Why an option is refused, or how to check its value. */
  interface Rule {
    /** Returns the reason to refuse {@code value} (null for options without a value), or null. */
    String check(String value);
  }

  private final String tool;
  private final String inputName;
  private final Set<String> longFlags;
  private final Set<String> longWithValue;
  private final String shortFlags;
  private final String shortWithValue;
  private final Map<String, String> longNameOfShort;
  private final Map<String, Rule> rules;

  OptionPolicy(
      String tool,
      String inputName,
      Set<String> longFlags,
      Set<String> longWithValue,
      String shortFlags,
      String shortWithValue,
      Map<String, String> longNameOfShort,
      Map<String, Rule> rules) {
    this.tool = tool;
    this.inputName = inputName;
    this.longFlags = longFlags;
    this.longWithValue = longWithValue;
    this.shortFlags = shortFlags;
    this.shortWithValue = shortWithValue;
    this.longNameOfShort = longNameOfShort;
    this.rules = rules;
  }

  static Rule refuse(String reason) {
    return value -> reason;
  }

  /**
   * Throws an {@link InputException} naming the first refused or unknown option; returns the
   * options written in long form, by name, in the order given (values are never among them).
   */
  List<String> validate(List<String> arguments) {
    List<String> longNames = new ArrayList<>();
    scan(arguments, longNames, new ArrayList<>());
    return longNames;
  }

  /** Like {@link #validate}: every option's long name, short ones too, in the order given. */
  List<String> everyName(List<String> arguments) {
    List<String> names = new ArrayList<>();
    scan(arguments, new ArrayList<>(), names);
    return names;
  }

  private void scan(List<String> arguments, List<String> longNames, List<String> names) {
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if (argument.startsWith("--")) {
        int before = longNames.size();
        i = checkLong(arguments, i, longNames);
        names.addAll(longNames.subList(before, longNames.size()));
      } else if (argument.startsWith("-") && argument.length() > 1) {
        i = checkShortCluster(arguments, i, names);
      } else {
        throw refused(
            "'" + argument + "'",
            "positional arguments are not allowed: the database comes from database-url");
      }
    }
  }

  private int checkLong(List<String> arguments, int index, List<String> longNames) {
    String argument = arguments.get(index);
    int equals = argument.indexOf('=');
    String name = equals < 0 ? argument.substring(2) : argument.substring(2, equals);
    String value = equals < 0 ? null : argument.substring(equals + 1);
    int next = index;
    if (longWithValue.contains(name)) {
      if (value == null) {
        if (index + 1 >= arguments.size()) {
          throw refused("--" + name, "it needs a value");
        }
        value = arguments.get(++next);
      }
    } else if (longFlags.contains(name)) {
      if (value != null) {
        throw refused("--" + name, "it takes no value");
      }
    } else {
      throw refused(
          "--" + name, "it is not a " + tool + " option this tool knows (write long options in full)");
    }
    apply(name, "--" + name, value);
    longNames.add(name);
    return next;
  }

  private int checkShortCluster(List<String> arguments, int index, List<String> names) {
    String argument = arguments.get(index);
    for (int j = 1; j < argument.length(); j++) {
      char letter = argument.charAt(j);
      String shown = "-" + letter;
      if (shortWithValue.indexOf(letter) >= 0) {
        String value = argument.substring(j + 1);
        int next = index;
        if (value.isEmpty()) {
          if (index + 1 >= arguments.size()) {
            throw refused(shown, "it needs a value");
          }
          value = arguments.get(++next);
        }
        apply(longNameOfShort.get(String.valueOf(letter)), shown, value);
        names.add(longNameOfShort.get(String.valueOf(letter)));
        return next;
      }
      if (shortFlags.indexOf(letter) < 0) {
        throw refused(shown, "it is not a " + tool + " option this tool knows");
      }
      apply(longNameOfShort.get(String.valueOf(letter)), shown, null);
      names.add(longNameOfShort.get(String.valueOf(letter)));
    }
    return index;
  }

  private void apply(String longName, String shown, String value) {
    Rule rule = longName == null ? null : rules.get(longName);
    String reason = rule == null ? null : rule.check(value);
    if (reason != null) {
      throw refused(shown, reason);
    }
  }

  private InputException refused(String option, String reason) {
    return new InputException(inputName + ": " + option + " is refused: " + reason);
  }
}
