import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.MailroomH2Backend;
import java.util.List;

/**
 * The embedded database for Mailroom: mongo-java-server with its H2 (MVStore) backend, one file, with unique indexes
 * ordered by value (MailroomH2Backend).
 *
 * Chosen over FerretDB 1.24 (SQLite) because FerretDB's findAndModify and conditional updates are not atomic across
 * connections, which breaks Agenda's job locks (measured: 6-7 of 8 concurrent lockers "won" the same job).
 *
 * It reports MongoDB 5.0 (wire version 13): the Node.js driver 7 refuses servers below wire version 9, and
 * mongo-java-server's own newest profile is 4.0 (wire 7). Mailroom uses only commands both support.
 *
 * It exits when standard input closes, so it never outlives the Node.js process that started it.
 */
public class MailroomMongoServer {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: MailroomMongoServer <data-file> <port>");
      System.exit(2);
    }
    MailroomH2Backend backend = new MailroomH2Backend(args[0]);
    backend.version(new MongoVersion() {
      public List<Integer> getVersionArray() { return List.of(5, 0, 0); }
      public int getWireVersion() { return 13; }
    });
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", Integer.parseInt(args[1]));
    // SIGTERM runs shutdown hooks: closing the backend flushes the H2 store, so nothing written is lost.
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
    System.out.println("ready");
    while (System.in.read() != -1) { }
    System.exit(0);
  }
}
