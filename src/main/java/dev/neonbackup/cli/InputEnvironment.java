package dev.neonbackup.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads an option's value from the variable the Actions runner sets for the input of the same
 * name: {@code --s3-bucket} from {@code INPUT_S3-BUCKET}. The runner sets every declared input, to
 * "" when the workflow gave none, so a blank value counts as unset. A flag on the command line wins,
 * because picocli consults this provider only for options the command line did not give.
 */
public final class InputEnvironment implements IDefaultValueProvider {
  private final Map<String, String> environment;

  public InputEnvironment(Map<String, String> environment) {
    this.environment = environment;
  }

  /** The variable for an input: "INPUT_" + the name upper-cased, spaces to '_', hyphens kept. */
  public static String variableFor(String inputName) {
    return "INPUT_" + inputName.toUpperCase(Locale.ROOT).replace(' ', '_');
  }

  /** The input's value, or null when unset or blank. */
  public String get(String inputName) {
    String value = environment.get(variableFor(inputName));
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!argSpec.isOption()) {
      return null;
    }
    String name = ((OptionSpec) argSpec).longestName();
    return name.startsWith("--") ? get(name.substring(2)) : null;
  }
}
