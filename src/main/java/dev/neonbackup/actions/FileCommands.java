package dev.neonbackup.actions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;

/** The runner's file commands: {@code GITHUB_OUTPUT} and {@code GITHUB_STEP_SUMMARY}. */
public final class FileCommands {
  private FileCommands() {}

  /** Appends outputs as {@code name=value}, or {@code name<<DELIMITER} for multi-line values. */
  public static void appendOutputs(Path file, Map<String, String> outputs) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> output : outputs.entrySet()) {
      String value = output.getValue();
      if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
        text.append(output.getKey()).append('=').append(value).append('\n');
      } else {
        String delimiter = "ghadelimiter_" + UUID.randomUUID();
        text.append(output.getKey()).append("<<").append(delimiter).append('\n');
        text.append(value).append('\n').append(delimiter).append('\n');
      }
    }
    append(file, text.toString());
  }

  /**
   * Appends {@code outputs} to {@code GITHUB_OUTPUT} and {@code markdown} to {@code
   * GITHUB_STEP_SUMMARY}, each only when the runner set it (and there is something to write).
   */
  public static void publish(Map<String, String> environment, Map<String, String> outputs, String markdown) {
    String outputFile = environment.get("GITHUB_OUTPUT");
    if (!outputs.isEmpty() && outputFile != null && !outputFile.isBlank()) {
      appendOutputs(Path.of(outputFile), outputs);
    }
    String summaryFile = environment.get("GITHUB_STEP_SUMMARY");
    if (!markdown.isEmpty() && summaryFile != null && !summaryFile.isBlank()) {
      appendSummary(Path.of(summaryFile), markdown);
    }
  }

  public static void appendSummary(Path file, String markdown) {
    append(file, markdown.endsWith("\n") ? markdown : markdown + "\n");
  }

  private static void append(Path file, String text) {
    try {
      Files.writeString(
          file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the runner's file " + file, e);
    }
  }
}
