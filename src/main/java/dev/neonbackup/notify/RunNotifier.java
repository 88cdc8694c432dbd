package dev.neonbackup.notify;

import dev.neonbackup.backup.RunOutcome;

/**
 * Tells the outside world that a backup run started and how it ended: the heartbeat pings and the
 * chat message. Nothing it does fails the run: a receiver that does not take a message is warned
 * about. Only the first ending counts.
 */
public interface RunNotifier {
  /** Nothing configured: nothing sent. */
  RunNotifier NONE =
      new RunNotifier() {
        @Override
        public void started() {}

        @Override
        public void ran(RunOutcome outcome) {}

        @Override
        public void succeeded(RunOutcome outcome) {}

        @Override
        public void failed(String errorLine, int exitStatus) {}
      };

  /** The run begins (after its inputs were accepted). */
  void started();

  /** What the run stored and what failed, before the ending is known (a drill may follow). */
  void ran(RunOutcome outcome);

  void succeeded(RunOutcome outcome);

  /** The run fails with this line (as printed) and exit status. */
  void failed(String errorLine, int exitStatus);
}
