// In mongo-java-server's package because H2UniqueIndex's constructor is package-private there.
package de.bwaldvogel.mongo.backend.h2;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * mongo-java-server's H2 backend with unique indexes ordered by value instead of by serialized bytes.
 *
 * The stock index maps hold KeyValue keys, which are not Comparable, so H2 compares two keys by serializing both with
 * Java serialization, on every step of every B-tree search: a third of the server's time in the mail benchmark. Here
 * keys compare element by element with mongo-java-server's own BSON value order, which also makes equal values (1
 * and 1.0) one key, as MongoDB's unique indexes do. Storage of keys and documents is unchanged.
 *
 * With keys in value order, a query that fixes only the leading fields of a compound unique index by equality is a
 * range of it: `{files_id: X}` on the GridFS chunks index `{files_id, n}` (reading, moving or removing a file's chunks).
 * The stock index answers only queries naming all its fields, and the rest scan the collection, deserializing every
 * document: for the chunks collection that is every stored byte, on every file read (most of the server's time in
 * the mail benchmark, and growing with the file store).
 *
 * An index map written with the old order is rebuilt in the new order the first time it is opened (a marker map
 * records which maps are done), so data files from earlier versions keep working.
 *
 * Documents are stored as BSON, not with Java serialization (H2's ObjectDataType for any other object): that wrote
 * each document's class descriptors along with it and was most of the server's time in the mail benchmark, on every
 * commit (a changed page writes all its documents again) and every page read. Documents written the old way read as
 * before, and are written as BSON the next time their page is (see DocumentValues).
 *
 * Durable before acknowledged: the stock backend leaves writes to H2's background commit (about once a second), so a
 * crash of the server lost writes the client had been told were done, after which Mailroom had already moved the
 * mail. Here every write command commits the store and forces it to disk before its reply goes out.
 */
public class MailroomH2Backend extends H2Backend {
  private static final String ORDERED_MARKER = "mailroom.value-ordered-indexes";

  /** The store being opened: H2Database opens its indexes from its own constructor, before a subclass field is set. */
  private static MVStore opening;

  static final class ValueOrder extends ObjectDataType {
    private static final ValueComparator VALUES = ValueComparator.ascWithoutListHandling();

    @Override
    public int compare(Object a, Object b) {
      if (a instanceof KeyValue && b instanceof KeyValue) {
        KeyValue x = (KeyValue) a;
        KeyValue y = (KeyValue) b;
        int shared = Math.min(x.size(), y.size());
        for (int i = 0; i < shared; i++) {
          int c = VALUES.compare(x.get(i), y.get(i));
          if (c != 0) return c;
        }
        return Integer.compare(x.size(), y.size());
      }
      return super.compare(a, b);
    }
  }

  /**
   * The value type of collections' data maps: a document as a tag H2's ObjectDataType never writes (its tags end at
   * 119) followed by the document's BSON, which carries its own length. Anything else, and every value written before
   * (Java-serialized documents), goes through ObjectDataType as it always did, so old data files stay readable.
   */
  static final class DocumentValues extends ObjectDataType {
    private static final byte BSON = 120;
    /** A running average of the documents' sizes, as H2 keeps one for serialized objects: a page's memory estimate. */
    private volatile int averageSize = 1024;

    @Override
    public void write(WriteBuffer buff, Object obj) {
      if (!(obj instanceof Document)) {
        super.write(buff, obj);
        return;
      }
      ByteBuf bson = Unpooled.buffer(averageSize + 64);
      try {
        BsonEncoder.encodeDocument((Document) obj, bson);
        int length = bson.readableBytes();
        buff.put(BSON).put(bson.array(), bson.arrayOffset() + bson.readerIndex(), length);
        averageSize = (int) ((averageSize * 15L + length) / 16);
      } finally {
        bson.release();
      }
    }

    @Override
    public Object read(ByteBuffer buff) {
      int at = buff.position();
      if (buff.get(at) != BSON) return super.read(buff);
      int length = buff.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(at + 1);
      ByteBuf bson;
      if (buff.hasArray()) {
        bson = Unpooled.wrappedBuffer(buff.array(), buff.arrayOffset() + at + 1, length);
      } else {
        byte[] copy = new byte[length];
        buff.duplicate().position(at + 1).get(copy);
        bson = Unpooled.wrappedBuffer(copy);
      }
      buff.position(at + 1 + length);
      return BsonDecoder.decodeBson(bson);
    }

    @Override
    public int getMemory(Object obj) {
      return obj instanceof Document ? averageSize : super.getMemory(obj);
    }
  }

  /**
   * H2's collection without the running data size: keeping it encoded every document inserted, changed or removed
   * once more just to measure it (a tenth of the server's time), and wrote the collection's meta map on each write.
   * Only collStats reports it, which Mailroom never asks; the size stored by earlier versions stays as it was.
   */
  static final class UnsizedCollection extends H2Collection {
    UnsizedCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data, MVMap<String, Object> meta, CursorRegistry cursors) {
      super(database, name, options, data, meta, cursors);
    }

    @Override
    protected boolean tracksDataSize() {
      return false;
    }
  }

  /** A unique index that also answers queries fixing a prefix of its fields (see the class comment). */
  static final class OrderedUniqueIndex extends H2UniqueIndex {
    private static final ValueComparator VALUES = ValueComparator.ascWithoutListHandling();
    private final MVMap<KeyValue, Object> entries;

    OrderedUniqueIndex(MVMap<KeyValue, Object> entries, String name, List<IndexKey> keys, boolean sparse) {
      super(entries, name, keys, sparse);
      this.entries = entries;
    }

    /**
     * How many leading fields of the index the query fixes, when it names those fields only, each equal to a plain
     * value; else 0. Not null (it matches a missing field too), documents (operators, or equality with a whole
     * document), arrays or patterns: those go the stock way.
     */
    private int equalityPrefix(Document query) {
      List<String> fields = keys();
      int count = query.size();
      if (count == 0 || count >= fields.size()) return 0;
      for (int i = 0; i < count; i++) {
        String field = fields.get(i);
        if (!query.containsKey(field)) return 0;
        Object value = query.get(field);
        if (value == null || value instanceof Document || value instanceof Collection || BsonRegularExpression.isRegularExpression(value)) return 0;
      }
      return count;
    }

    @Override
    public boolean canHandle(Document query) {
      return super.canHandle(query) || equalityPrefix(query) > 0;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
      int count = equalityPrefix(query);
      if (count == 0) return super.getPositions(query);
      List<Object> prefix = new ArrayList<>(count);
      for (String field : keys().subList(0, count)) prefix.add(query.get(field));
      // A shorter key sorts before every longer key it begins (ValueOrder), so the range starts at the prefix itself.
      // A document with an array in an indexed field has several keys: its position is listed once.
      LinkedHashSet<Object> positions = new LinkedHashSet<>();
      Cursor<KeyValue, Object> cursor = entries.cursor(new KeyValue(prefix));
      while (cursor.hasNext()) {
        KeyValue key = cursor.next();
        if (!startsWith(key, prefix)) break;
        positions.add(cursor.getValue());
      }
      // The collection matches each document against the whole query afterwards, as for any index.
      return positions;
    }

    private static boolean startsWith(KeyValue key, List<Object> prefix) {
      if (key.size() < prefix.size()) return false;
      for (int i = 0; i < prefix.size(); i++) if (VALUES.compare(key.get(i), prefix.get(i)) != 0) return false;
      return true;
    }
  }

  static final class Database extends H2Database {
    Database(String name, MVStore store, CursorRegistry cursors) {
      super(name, store, cursors);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      return new OrderedUniqueIndex(openOrdered(opening, getFullCollectionNamespace(collectionName) + "._index_" + indexName), indexName, keys, sparse);
    }

    /** As H2Database opens a collection (same maps, so the same file layout), with documents stored as BSON. */
    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
      String namespace = getFullCollectionNamespace(collectionName);
      MVMap<Object, Document> data = opening.openMap("databases." + namespace, new MVMap.Builder<Object, Document>().valueType(new DocumentValues()));
      MVMap<String, Object> meta = opening.openMap("meta." + namespace);
      return new UnsizedCollection(this, collectionName, options, data, meta, cursorRegistry);
    }

    @Override
    public void drop(Oplog oplog) {
      super.drop(oplog);
      // The index maps went with the database; so do their markers (tests drop a database each).
      MVMap<String, Boolean> marker = opening.openMap(ORDERED_MARKER);
      marker.keySet().removeIf(name -> name.startsWith(getDatabaseName() + "."));
    }
  }

  private static MVMap<KeyValue, Object> openOrdered(MVStore store, String name) {
    MVMap.Builder<KeyValue, Object> ordered = new MVMap.Builder<KeyValue, Object>().keyType(new ValueOrder());
    MVMap<String, Boolean> marker = store.openMap(ORDERED_MARKER);
    if (store.hasMap(name) && !marker.containsKey(name)) {
      // Written with the serialized-bytes order: copy into a map with the value order, then put it in place.
      MVMap<Object, Object> legacy = store.openMap(name);
      String temporary = name + ".reordering";
      if (store.hasMap(temporary)) store.removeMap(temporary);
      MVMap<KeyValue, Object> rebuilt = store.openMap(temporary, ordered);
      for (Map.Entry<Object, Object> entry : legacy.entrySet()) rebuilt.put((KeyValue) entry.getKey(), entry.getValue());
      store.removeMap(legacy);
      store.renameMap(rebuilt, name);
      marker.put(name, Boolean.TRUE);
      store.commit();
      return rebuilt;
    }
    MVMap<KeyValue, Object> map = store.openMap(name, ordered);
    marker.putIfAbsent(name, Boolean.TRUE);
    return map;
  }

  /** Commands that change data; their reply waits for the commit. Names as the wire protocol sends them, lowercased. */
  private static final Set<String> WRITES = Set.of(
      "insert", "update", "delete", "findandmodify", "create", "createindexes", "drop", "dropdatabase", "dropindexes", "renamecollection");

  private final Object durability = new Object();

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    try {
      return super.handleCommand(channel, databaseName, command, query);
    } finally {
      // Also after a failed write: an unordered insert that met a duplicate key has written the other documents.
      if (WRITES.contains(command.toLowerCase(Locale.ROOT))) makeDurable();
    }
  }

  /**
   * Commits and fsyncs. One at a time: concurrent writers queue here, and a commit stores every change made so far,
   * so a writer whose change an earlier commit took along finds little left to write.
   */
  private void makeDurable() {
    synchronized (durability) {
      MVStore store = getMvStore();
      store.commit();
      store.sync();
    }
  }

  public MailroomH2Backend(String fileName) {
    super(remember(MVStore.open(fileName)));
  }

  private static MVStore remember(MVStore store) {
    opening = store;
    return store;
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    opening = getMvStore();
    return new Database(databaseName, getMvStore(), getCursorRegistry());
  }
}
