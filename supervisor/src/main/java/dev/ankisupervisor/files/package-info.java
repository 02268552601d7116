/** Small file primitives the leaves share: atomic replace (temp, fsync, rename, fsync folder). Imports nothing of ours. */
package dev.ankisupervisor.files;
