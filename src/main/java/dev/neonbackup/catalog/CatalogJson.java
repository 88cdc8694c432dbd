package dev.neonbackup.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of the catalog: manifests, and {@code list --json} for scripts. */
final class CatalogJson {
  // Two spaces, one member or element a line, "name": value, and [] when empty: the layout
  // manifests and list --json had before, so that nothing reading them by eye or by line changes.
  private static final JSON PRETTY =
      JSON.std
          .with(
              new DefaultPrettyPrinter(
                      Separators.createDefaultInstance()
                          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                          .withObjectEmptySeparator("")
                          .withArrayEmptySeparator(""))
                  .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                  .withArrayIndenter(new DefaultIndenter("  ", "\n")))
          .with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES);

  private static final JSON ONE_LINE = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

  private CatalogJson() {}

  /** One object, ending in a newline as a manifest always has. */
  static String object(Map<String, Object> fields) {
    return write(PRETTY, fields) + "\n";
  }

  /**
   * A JSON array with one object per backup, nulls where there is no manifest. JSON escapes line
   * breaks, so no line can start with the runner's {@code ::}; the legacy {@code ##[}, which the
   * runner finds anywhere in a line, can only stand inside a string and is written {@code
   * #\u0023[} there: the same value to a JSON reader, inert to the runner.
   */
  static String entries(List<BackupCatalog.Entry> entries) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (BackupCatalog.Entry entry : entries) {
      objects.add(fields(entry));
    }
    return inert(write(PRETTY, objects));
  }

  /** The same array on one line, for the {@code backups} output of {@code list}. */
  static String entriesOnOneLine(List<BackupCatalog.Entry> entries) {
    return inert(write(ONE_LINE, entries.stream().map(CatalogJson::fields).toList()));
  }

  private static String inert(String json) {
    return json.replace("##[", "#\\u0023[");
  }

  private static Map<String, Object> fields(BackupCatalog.Entry entry) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("database", entry.database());
    fields.put("key", entry.key().key());
    fields.put("time", entry.key().timestamp().toString());
    fields.put("sizeBytes", entry.sizeBytes());
    fields.put("encrypted", entry.key().encrypted());
    fields.put("manifest", entry.manifest().isPresent());
    fields.put("pgDumpVersion", entry.manifest().map(Manifest::pgDumpVersion).orElse(null));
    fields.put("serverVersion", entry.manifest().map(Manifest::serverVersion).orElse(null));
    fields.put("sha256", entry.manifest().map(Manifest::sha256).orElse(null));
    fields.put("verification", entry.manifest().map(Manifest::verification).orElse(null));
    fields.put(
        "verificationResult", entry.manifest().map(Manifest::verificationResult).orElse(null));
    fields.put("manifestDamage", entry.beside().damage().orElse(null));
    fields.put("storageClass", entry.storageClass().orElse(null));
    fields.put("needsThaw", entry.needsThaw());
    fields.put("hidden", entry.hiddenVersion().isPresent());
    fields.put("versionId", entry.hiddenVersion().orElse(null));
    return fields;
  }

  private static String write(JSON json, Object value) {
    try {
      return json.asString(value);
    } catch (IOException e) {
      // Only a value jackson-jr cannot write gets here: strings, numbers and booleans never do.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads exactly one JSON object: anything after it (jackson-jr alone would stop reading at its
   * end) makes the whole text unreadable, so a manifest from another tool fails loudly.
   */
  static Map<String, Object> readObject(String text) throws IOException {
    try (JsonParser parser = JSON.std.createParser(text)) {
      Map<String, Object> fields = JSON.std.mapFrom(parser);
      if (parser.nextToken() != null) {
        throw new IOException("text after the object");
      }
      return fields;
    }
  }
}
