package io.per4m.probes;

/**
 * A defined function symbol.
 *
 * @param name  symbol name as stored
 * @param value st_value (virtual address; for shared objects relative to the load base)
 * @param size  st_size in bytes
 * @param table ".symtab" or ".dynsym"
 */
public record ElfSymbol(String name, long value, long size, String table) {
}
