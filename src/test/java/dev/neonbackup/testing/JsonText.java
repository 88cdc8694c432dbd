package dev.neonbackup.testing;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads back JSON the program printed, with jackson-jr, as a script reading it would. */
public final class JsonText {
  private JsonText() {}

  /**
   * The array of objects that is the whole of {@code text}, each object's members in their order;
   * fails the test for anything else, or anything after the array.
   */
  public static List<Map<String, Object>> arrayOfObjects(String text) {
    Object array = whole(text);
    assertTrue(array instanceof List, () -> "not a JSON array: " + text);
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object element : (List<?>) array) {
      assertTrue(element instanceof Map, () -> "not a JSON object: " + element + " in " + text);
      Map<String, Object> members = new LinkedHashMap<>();
      ((Map<?, ?>) element).forEach((name, value) -> members.put((String) name, value));
      objects.add(members);
    }
    return objects;
  }

  private static Object whole(String text) {
    try (JsonParser parser = JSON.std.createParser(text)) {
      Object value = JSON.std.anyFrom(parser);
      assertNull(parser.nextToken(), () -> "text after the JSON value: " + text);
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }
}
