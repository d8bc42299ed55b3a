import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.util.List;

/** The embedded server as Mailroom shipped it before MailroomH2Backend: stock index order. Writes legacy data files for the migration test. */
public class LegacyMongoServer {
  public static void main(String[] args) throws Exception {
    H2Backend backend = new H2Backend(args[0]);
    backend.version(new MongoVersion() {
      public List<Integer> getVersionArray() { return List.of(5, 0, 0); }
      public int getWireVersion() { return 13; }
    });
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", Integer.parseInt(args[1]));
    System.out.println("ready");
    while (System.in.read() != -1) { }
    server.shutdown();
    System.exit(0);
  }
}
