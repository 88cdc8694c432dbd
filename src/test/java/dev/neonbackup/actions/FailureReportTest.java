package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FailureReportTest {
  @Test
  void the_error_line_stands_in_a_code_block_under_the_command() {
    assertEquals(
        "### Neon restore failed\n\n```text\nno backup at s3://b/k\n```\n",
        FailureReport.summary("restore", "no backup at s3://b/k"));
  }

  @Test
  void a_line_with_a_fence_or_a_line_break_cannot_end_the_block_early() {
    assertEquals(
        "### Neon list failed\n\n````text\na ``` b c\n````\n",
        FailureReport.summary("list", "a ``` b\nc"));
  }
}
