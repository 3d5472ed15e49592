package io.per4m.probes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A minimal ELF64 reader: what the loader needs (DT_NEEDED, RPATH, RUNPATH), what a debugger needs to find
 * symbols (.symtab, .dynsym, build-id, .gnu_debuglink, .debug_info). The whole file is mapped read-only.
 */
public final class ElfFile {
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_NOTE = 4;
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_FUNC = 2;
    private static final int STT_GNU_IFUNC = 10;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;
    private static final long DT_SONAME = 14;
    private static final long DT_RPATH = 15;
    private static final long DT_RUNPATH = 29;
    private static final int NT_GNU_BUILD_ID = 3;

    private final Path path;
    private final ByteBuffer buf;
    private final int type;
    private final int machine;
    private final List<Section> sections;
    private final List<Segment> segments;

    private record Section(String name, int type, long offset, long size, int link, long entsize) {
    }

    private record Segment(int type, long offset, long vaddr, long filesz) {
    }

    private ElfFile(Path path, ByteBuffer buf) throws ElfFormatException {
        this.path = path;
        this.buf = buf;
        checkIdent();
        this.type = u16(0x10);
        this.machine = u16(0x12);
        this.segments = readSegments();
        this.sections = readSections();
    }

    /** Opens and maps {@code path}; throws {@link ElfFormatException} with a one-line reason if it is no ELF64 file. */
    public static ElfFile open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new ElfFormatException(path + ": larger than 2 GiB, not supported");
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new ElfFile(path, map);
        }
    }

    /** True when the file starts with the ELF magic (no exception for scripts). */
    public static boolean looksLikeElf(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(4);
            ch.read(head, 0);
            return head.position() == 4 && head.get(0) == 0x7f && head.get(1) == 'E' && head.get(2) == 'L' && head.get(3) == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    /** e_machine (62 = x86-64, 183 = AArch64). */
    public int machine() {
        return machine;
    }

    /** True for ET_DYN and ET_EXEC. */
    public boolean isLoadable() {
        return type == 2 || type == 3;
    }

    private void checkIdent() throws ElfFormatException {
        if (buf.capacity() < 64 || buf.get(0) != 0x7f || buf.get(1) != 'E' || buf.get(2) != 'L' || buf.get(3) != 'F') {
            throw new ElfFormatException(path + " is not an ELF file (" + describeStart() + ")");
        }
        if (buf.get(4) != 2) {
            throw new ElfFormatException(path + " is a 32-bit ELF file; only ELF64 is supported");
        }
        buf.order(buf.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    private String describeStart() {
        if (buf.capacity() == 0) {
            return "empty";
        }
        int n = Math.min(buf.capacity(), 40);
        byte[] head = new byte[n];
        buf.get(0, head);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int nl = text.indexOf('\n');
        if (text.startsWith("#!")) {
            return "a script starting with '" + (nl < 0 ? text : text.substring(0, nl)).strip() + "'";
        }
        return "starts with bytes " + HexFormat.ofDelimiter(" ").formatHex(head, 0, Math.min(n, 8));
    }

    private List<Segment> readSegments() throws ElfFormatException {
        long phoff = u64(0x20);
        int phentsize = u16(0x36);
        int phnum = u16(0x38);
        List<Segment> out = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            checkRange(at, 56, "program header");
            out.add(new Segment(u32(at), u64(at + 8), u64(at + 16), u64(at + 32)));
        }
        return out;
    }

    private List<Section> readSections() throws ElfFormatException {
        long shoff = u64(0x28);
        int shentsize = u16(0x3A);
        int shnum = u16(0x3C);
        int shstrndx = u16(0x3E);
        if (shoff == 0 || shnum == 0) {
            return List.of();
        }
        record Raw(int name, int type, long offset, long size, int link, long entsize) {
        }
        List<Raw> raw = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long at = shoff + (long) i * shentsize;
            checkRange(at, 64, "section header");
            raw.add(new Raw(u32(at), u32(at + 4), u64(at + 24), u64(at + 32), u32(at + 40), u64(at + 56)));
        }
        long namesAt = shstrndx < raw.size() ? raw.get(shstrndx).offset() : -1;
        List<Section> out = new ArrayList<>(shnum);
        for (Raw r : raw) {
            String name = namesAt < 0 ? "" : cString(namesAt + r.name());
            out.add(new Section(name, r.type(), r.offset(), r.size(), r.link(), r.entsize()));
        }
        return out;
    }

    /** Section names, in order (empty when the section headers were stripped too). */
    public List<String> sectionNames() {
        return sections.stream().map(Section::name).toList();
    }

    /** True when the file carries DWARF (.debug_info), which perf probe needs for inlined copies and %return. */
    public boolean hasDebugInfo() {
        return sections.stream().anyMatch(s -> s.name().equals(".debug_info") && s.type() != 8 /* SHT_NOBITS */);
    }

    public boolean hasSymtab() {
        return sections.stream().anyMatch(s -> s.type() == SHT_SYMTAB);
    }

    /**
     * Defined function symbols whose name is in {@code names}, from .symtab and .dynsym, by name.
     * Names absent from both tables are absent from the map.
     */
    public Map<String, List<ElfSymbol>> functionSymbols(Set<String> names) throws ElfFormatException {
        Map<String, List<ElfSymbol>> found = new LinkedHashMap<>();
        byte[][] wanted = names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        for (Section s : sections) {
            if (s.type() != SHT_SYMTAB && s.type() != SHT_DYNSYM) {
                continue;
            }
            if (s.link() >= sections.size()) {
                throw new ElfFormatException(path + ": symbol table " + s.name() + " links to a missing string table");
            }
            long strtab = sections.get(s.link()).offset();
            long entsize = s.entsize() == 0 ? 24 : s.entsize();
            checkRange(s.offset(), s.size(), s.name());
            for (long at = s.offset(); at + 24 <= s.offset() + s.size(); at += entsize) {
                int info = buf.get((int) at + 4) & 0xff;
                int symType = info & 0xf;
                int shndx = u16(at + 6);
                if ((symType != STT_FUNC && symType != STT_GNU_IFUNC) || shndx == 0) {
                    continue;
                }
                long nameAt = strtab + u32(at);
                for (byte[] w : wanted) {
                    if (nameEquals(nameAt, w)) {
                        String name = new String(w, StandardCharsets.UTF_8);
                        found.computeIfAbsent(name, k -> new ArrayList<>())
                                .add(new ElfSymbol(name, u64(at + 8), u64(at + 16), s.name()));
                    }
                }
            }
        }
        return found;
    }

    /** Names of defined function symbols starting with {@code prefix} (e.g. "take_gil." for take_gil.lto_priv.0). */
    public List<String> functionNamesStartingWith(String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (Section s : sections) {
            if (s.type() != SHT_SYMTAB && s.type() != SHT_DYNSYM || s.link() >= sections.size()) {
                continue;
            }
            long strtab = sections.get(s.link()).offset();
            long entsize = s.entsize() == 0 ? 24 : s.entsize();
            for (long at = s.offset(); at + 24 <= s.offset() + s.size() && at + 24 <= buf.capacity(); at += entsize) {
                int symType = buf.get((int) at + 4) & 0xf;
                if (symType != STT_FUNC || u16(at + 6) == 0) {
                    continue;
                }
                long nameAt = strtab + u32(at);
                if (startsWith(nameAt, p)) {
                    String name = cString(nameAt);
                    if (!out.contains(name)) {
                        out.add(name);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The defined function symbol whose code covers {@code fileOffset} (an offset into the file, as uprobes use),
     * the smallest one when several do; empty when none does or the symbol tables were stripped.
     */
    public Optional<ElfSymbol> functionCovering(long fileOffset) throws ElfFormatException {
        ElfSymbol best = null;
        for (Section s : sections) {
            if (s.type() != SHT_SYMTAB && s.type() != SHT_DYNSYM || s.link() >= sections.size()) {
                continue;
            }
            long strtab = sections.get(s.link()).offset();
            long entsize = s.entsize() == 0 ? 24 : s.entsize();
            checkRange(s.offset(), s.size(), s.name());
            for (long at = s.offset(); at + 24 <= s.offset() + s.size(); at += entsize) {
                int symType = buf.get((int) at + 4) & 0xf;
                long value = u64(at + 8);
                long size = u64(at + 16);
                if ((symType != STT_FUNC && symType != STT_GNU_IFUNC) || u16(at + 6) == 0 || size == 0) {
                    continue;
                }
                long start;
                try {
                    start = fileOffsetOf(value);
                } catch (ElfFormatException e) {
                    continue;
                }
                if (fileOffset >= start && fileOffset < start + size && (best == null || size < best.size())) {
                    best = new ElfSymbol(cString(strtab + u32(at)), value, size, s.name());
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The file offset of a symbol's first instruction (what a uprobe on its entry names). */
    public long fileOffsetOfSymbol(ElfSymbol symbol) throws ElfFormatException {
        return fileOffsetOf(symbol.value());
    }

    /** The dynamic section's entries the loader uses to find libraries. */
    public DynamicInfo dynamicInfo() throws ElfFormatException {
        Segment dyn = segments.stream().filter(s -> s.type() == PT_DYNAMIC).findFirst().orElse(null);
        if (dyn == null) {
            return new DynamicInfo(List.of(), Optional.empty(), List.of(), List.of());
        }
        checkRange(dyn.offset(), dyn.filesz(), "dynamic segment");
        List<Long> needed = new ArrayList<>();
        Long soname = null;
        Long rpath = null;
        Long runpath = null;
        long strtabVaddr = -1;
        for (long at = dyn.offset(); at + 16 <= dyn.offset() + dyn.filesz(); at += 16) {
            long tag = u64(at);
            long val = u64(at + 8);
            if (tag == DT_NULL) {
                break;
            } else if (tag == DT_NEEDED) {
                needed.add(val);
            } else if (tag == DT_STRTAB) {
                strtabVaddr = val;
            } else if (tag == DT_SONAME) {
                soname = val;
            } else if (tag == DT_RPATH) {
                rpath = val;
            } else if (tag == DT_RUNPATH) {
                runpath = val;
            }
        }
        if (strtabVaddr < 0) {
            throw new ElfFormatException(path + ": dynamic section without DT_STRTAB");
        }
        long strtab = fileOffsetOf(strtabVaddr);
        List<String> neededNames = new ArrayList<>();
        for (long n : needed) {
            neededNames.add(cString(strtab + n));
        }
        return new DynamicInfo(neededNames,
                Optional.ofNullable(soname).map(v -> cString(strtab + v)),
                rpath == null ? List.of() : splitPath(cString(strtab + rpath)),
                runpath == null ? List.of() : splitPath(cString(strtab + runpath)));
    }

    private static List<String> splitPath(String s) {
        return List.of(s.split(":")).stream().filter(p -> !p.isEmpty()).toList();
    }

    /** The loader's view: DT_NEEDED names, DT_SONAME, DT_RPATH and DT_RUNPATH entries (unexpanded). */
    public record DynamicInfo(List<String> needed, Optional<String> soname, List<String> rpath, List<String> runpath) {
    }

    /** Hex GNU build-id from the PT_NOTE segments, as debuginfod and /usr/lib/debug/.build-id use it. */
    public Optional<String> buildId() {
        for (Segment s : segments) {
            if (s.type() != PT_NOTE) {
                continue;
            }
            long at = s.offset();
            long end = s.offset() + s.filesz();
            while (at + 12 <= end && end <= buf.capacity()) {
                int namesz = u32(at);
                int descsz = u32(at + 4);
                int noteType = u32(at + 8);
                long nameAt = at + 12;
                long descAt = nameAt + align4(namesz);
                if (noteType == NT_GNU_BUILD_ID && namesz == 4 && cString(nameAt).equals("GNU") && descAt + descsz <= end) {
                    byte[] id = new byte[descsz];
                    buf.get((int) descAt, id);
                    return Optional.of(HexFormat.of().formatHex(id));
                }
                at = descAt + align4(descsz);
            }
        }
        return Optional.empty();
    }

    /** The file name stored in .gnu_debuglink (the detached debug file's name), if any. */
    public Optional<String> debugLink() {
        return sections.stream().filter(s -> s.name().equals(".gnu_debuglink")).findFirst()
                .map(s -> cString(s.offset()));
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }

    /** The file offset of a virtual address (what a uprobe at that instruction names). */
    public long fileOffsetOfAddress(long vaddr) throws ElfFormatException {
        return fileOffsetOf(vaddr);
    }

    private long fileOffsetOf(long vaddr) throws ElfFormatException {
        for (Segment s : segments) {
            if (s.type() == PT_LOAD && vaddr >= s.vaddr() && vaddr < s.vaddr() + s.filesz()) {
                return vaddr - s.vaddr() + s.offset();
            }
        }
        throw new ElfFormatException(path + ": address 0x" + Long.toHexString(vaddr) + " is in no loadable segment");
    }

    private void checkRange(long at, long len, String what) throws ElfFormatException {
        if (at < 0 || len < 0 || at + len > buf.capacity()) {
            throw new ElfFormatException(path + ": truncated or corrupt ELF file (" + what + " beyond the end)");
        }
    }

    private boolean nameEquals(long at, byte[] name) {
        if (at + name.length >= buf.capacity()) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (buf.get((int) at + i) != name[i]) {
                return false;
            }
        }
        return buf.get((int) at + name.length) == 0;
    }

    private boolean startsWith(long at, byte[] prefix) {
        if (at + prefix.length >= buf.capacity()) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf.get((int) at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private String cString(long at) {
        if (at < 0 || at >= buf.capacity()) {
            return "";
        }
        int start = (int) at;
        int end = start;
        while (end < buf.capacity() && buf.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - start];
        buf.get(start, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private int u16(long at) {
        return buf.getShort((int) at) & 0xffff;
    }

    private int u32(long at) {
        return buf.getInt((int) at);
    }

    private long u64(long at) {
        return buf.getLong((int) at);
    }
}
