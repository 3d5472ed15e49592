package io.per4m.perf.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A perf.data file (file mode, {@code PERFILE2}, little-endian) mapped read-only: its header, the events it
 * recorded with their names (HEADER_EVENT_DESC), the tracepoint formats (HEADER_TRACING_DATA), and its data
 * section in mapped segments. Layout as in perf's Documentation/perf.data-file-format.txt.
 */
final class PerfDataFile implements AutoCloseable {
    private static final long MAGIC = 0x32454c4946524550L; // "PERFILE2" read little-endian
    private static final int HEADER_BYTES = 104;
    /** perf record -o - writes a header of magic and size only, then the attrs and features as records. */
    private static final long PIPE_HEADER_BYTES = 16;
    /** perf_event_attr up to the flags word, which is all this reader takes from it. */
    private static final int ATTR_BYTES_READ = 48;
    private static final int FEATURE_TRACING_DATA = 1;
    private static final int FEATURE_EVENT_DESC = 12;
    private static final int FEATURE_BITS = 256;
    /** Mapped segments overlap by the largest record (its size is 16 bits), so no record straddles two. */
    private static final long SEGMENT_BYTES = 1L << 30;
    private static final int MAX_RECORD_BYTES = 1 << 16;

    private final FileChannel channel;
    private final long dataOffset;
    private final long dataSize;
    private final List<EventAttr> events;
    private final Map<String, TracepointFormat> formats;
    private final MappedByteBuffer[] segments;

    private PerfDataFile(FileChannel channel) throws IOException {
        this.channel = channel;
        long fileSize = channel.size();
        if (fileSize < HEADER_BYTES) {
            throw new PerfDataException("it is not a perf.data file (" + fileSize + " bytes)");
        }
        ByteBuffer header = read(0, HEADER_BYTES);
        long magic = header.getLong(0);
        if (magic != MAGIC) {
            throw new PerfDataException(Long.reverseBytes(magic) == MAGIC
                    ? "it was recorded on a big-endian machine" : "it is not a perf.data file (no PERFILE2 magic)");
        }
        if (header.getLong(8) == PIPE_HEADER_BYTES) {
            throw new PerfDataException("it is pipe-mode perf.data (perf record -o -): record with -o FILE, or pipe "
                    + "it through perf script: perf script -i FILE --ns --no-inline | per4m perf2trace");
        }
        this.dataOffset = header.getLong(40);
        this.dataSize = header.getLong(48);
        if (dataSize == 0) {
            throw new PerfDataException("its data section is empty: perf was stopped before it wrote its data "
                    + "(interrupted with SIGKILL?)");
        }
        if (dataOffset < HEADER_BYTES || dataSize < 0 || dataSize > fileSize - dataOffset) {
            throw new PerfDataException("it is truncated (data section ends past the end of the file)");
        }
        List<Section> features = features(header, dataOffset + dataSize);
        Section eventDesc = features.stream().filter(f -> f.feature == FEATURE_EVENT_DESC).findFirst().orElse(null);
        Section tracing = features.stream().filter(f -> f.feature == FEATURE_TRACING_DATA).findFirst().orElse(null);
        if (eventDesc == null) {
            throw new PerfDataException("it has no event descriptions (recorded by perf older than 3.x?)");
        }
        this.events = eventDescriptions(read(eventDesc.offset, eventDesc.size));
        this.formats = tracing != null ? TracingData.formats(read(tracing.offset, tracing.size)) : Map.of();
        int count = (int) ((dataSize + SEGMENT_BYTES - 1) / SEGMENT_BYTES);
        this.segments = new MappedByteBuffer[count];
        for (int i = 0; i < count; i++) {
            long start = dataOffset + i * SEGMENT_BYTES;
            long length = Math.min(SEGMENT_BYTES + MAX_RECORD_BYTES, dataOffset + dataSize - start);
            segments[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, length);
            segments[i].order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    static PerfDataFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new PerfDataFile(channel);
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException | IllegalArgumentException
                 | ArithmeticException | NegativeArraySizeException e) {
            // every header read is bounds-checked by its buffer: a damaged field shows up as one of these
            channel.close();
            throw new PerfDataException("its header is damaged (" + e.getClass().getSimpleName()
                    + "); record it again, or read what perf can with perf script -i FILE");
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    List<EventAttr> events() {
        return events;
    }

    /** The format of tracepoint {@code system:name}, or null when the recording did not store it. */
    TracepointFormat format(String eventName) {
        return formats.get(eventName);
    }

    long dataSize() {
        return dataSize;
    }

    /** The mapped segment holding the record at {@code position} (0 is the start of the data section). */
    ByteBuffer segment(long position) {
        return segments[(int) (position / SEGMENT_BYTES)];
    }

    /** One record of the data section: the segment holding it, its index there, its type and its size. */
    record Record(ByteBuffer buffer, int at, int type, int size) {
    }

    /** The record at {@code position}, or null when its header gives a size that cannot be (a torn end). */
    Record recordAt(long position) {
        ByteBuffer b = segment(position);
        int at = indexInSegment(position);
        int size = Short.toUnsignedInt(b.getShort(at + 6));
        if (size < 8 || position + size > dataSize) {
            return null;
        }
        return new Record(b, at, b.getInt(at), size);
    }

    /** Index of {@code position} within {@link #segment(long)}. */
    static int indexInSegment(long position) {
        return (int) (position % SEGMENT_BYTES);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private record Section(int feature, long offset, long size) {
    }

    /** One perf_file_section per feature bit set, in bit order, right after the data section. */
    private List<Section> features(ByteBuffer header, long at) throws IOException {
        List<Section> sections = new ArrayList<>();
        long position = at;
        for (int bit = 0; bit < FEATURE_BITS; bit++) {
            long word = header.getLong(72 + (bit / 64) * 8);
            if ((word >>> (bit % 64) & 1) == 0) {
                continue;
            }
            if (position + 16 > channel.size()) {
                break; // perf died before writing its feature sections
            }
            ByteBuffer s = read(position, 16);
            sections.add(new Section(bit, s.getLong(0), s.getLong(8)));
            position += 16;
        }
        return sections;
    }

    /** HEADER_EVENT_DESC: nr, attr size, then per event its attr, id count, name (u32 length + bytes), ids. */
    private static List<EventAttr> eventDescriptions(ByteBuffer b) {
        if (b.remaining() < 8) {
            throw damagedDescriptions();
        }
        int count = b.getInt();
        int attrSize = b.getInt();
        if (count < 0 || attrSize < ATTR_BYTES_READ || count > b.remaining() / (attrSize + 8L)) {
            throw damagedDescriptions();
        }
        List<EventAttr> found = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int attrAt = b.position();
            if (b.remaining() < attrSize + 8L) {
                throw damagedDescriptions();
            }
            b.position(attrAt + attrSize);
            int idCount = b.getInt();
            int nameLength = b.getInt();
            if (nameLength < 0 || idCount < 0 || nameLength + 8L * idCount > b.remaining()) {
                throw damagedDescriptions();
            }
            byte[] nameBytes = new byte[nameLength];
            b.get(nameBytes);
            long[] ids = new long[idCount];
            for (int j = 0; j < idCount; j++) {
                ids[j] = b.getLong();
            }
            found.add(attr(b, attrAt, attrSize, cString(nameBytes), ids));
        }
        return found;
    }

    private static PerfDataException damagedDescriptions() {
        return new PerfDataException("its event descriptions (HEADER_EVENT_DESC) are damaged: record it again");
    }

    /**
     * perf_event_attr: type u32, size u32, config u64, period u64, sample_type u64, read_format u64, flags u64, ...,
     * sample_regs_user u64 at byte 80.
     */
    private static EventAttr attr(ByteBuffer b, int at, int attrSize, String name, long[] ids) {
        long flags = b.getLong(at + 40);
        boolean sampleIdAll = (flags >>> 18 & 1) != 0;
        long regsUser = attrSize >= 88 ? b.getLong(at + 80) : 0;
        return new EventAttr(name, b.getInt(at), b.getLong(at + 8), b.getLong(at + 24), sampleIdAll, ids, regsUser);
    }

    private ByteBuffer read(long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || length > channel.size() - offset) {
            throw new PerfDataException("it is truncated (a header section points past the end of the file)");
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(length)).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                throw new PerfDataException("it is truncated");
            }
        }
        return b.flip();
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
