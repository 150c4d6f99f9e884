//! The Merkle tree of the transparency log (issue 3, item 5), exactly as Certificate
//! Transparency defines it — RFC 6962 §2.1, restated in RFC 9162 §2.1 — so that anyone can check
//! Halle's tree heads and proofs with any CT-compatible tool.
//!
//! - A leaf's hash is `SHA-256(0x00 ‖ data)` ([`leaf_hash`]), an interior node's
//!   `SHA-256(0x01 ‖ left ‖ right)` ([`node_hash`]): the prefixes keep a leaf from passing for a
//!   node (second-preimage attacks).
//! - The tree over `n` leaves is split at `k`, the largest power of two strictly smaller than `n`
//!   (not at the middle), so every tree is a prefix of the next one and append-only growth can be
//!   proved ([`consistency_proof`]). The tree of no leaf hashes to `SHA-256("")` ([`EMPTY_ROOT`]).
//!
//! Pure functions over leaf hashes held in memory: no I/O. The generators compute the subtree
//! hashes they need (O(n) hashing per call); the verifiers need only the proof, a few hashes.
//! Sizes and indices are `u64`, as they travel in tree heads and proofs.

use sha2::{Digest, Sha256};

/// A SHA-256 hash: a leaf's, a node's, or a tree's root.
pub type Hash = [u8; 32];

/// The root of the empty tree: `SHA-256("")` (RFC 6962 §2.1, `MTH({})`).
pub const EMPTY_ROOT: Hash = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41,
    0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// `SHA-256(0x00 ‖ data)`: the hash of one entry of the log.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 ‖ left ‖ right)`: the hash of an interior node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The Merkle Tree Hash (`MTH`) of the tree whose leaves have these hashes.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => EMPTY_ROOT,
        [leaf] => *leaf,
        _ => {
            let k = split(leaves.len());
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The audit path of leaf `index` in the tree of `leaves` (RFC 6962 §2.1.1 `PATH`), from the
/// leaf's sibling up to the root's child; `None` if there is no such leaf.
pub fn inclusion_proof(leaves: &[Hash], index: u64) -> Option<Vec<Hash>> {
    let index = usize::try_from(index).ok().filter(|&i| i < leaves.len())?;
    let mut proof = Vec::new();
    path(leaves, index, &mut proof);
    Some(proof)
}

fn path(leaves: &[Hash], index: usize, proof: &mut Vec<Hash>) {
    if leaves.len() <= 1 {
        return;
    }
    let k = split(leaves.len());
    if index < k {
        path(&leaves[..k], index, proof);
        proof.push(root(&leaves[k..]));
    } else {
        path(&leaves[k..], index - k, proof);
        proof.push(root(&leaves[..k]));
    }
}

/// Whether `proof` shows that the leaf hashed `leaf` is at `index` in the tree of `tree_size`
/// leaves whose root is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(leaf: &Hash, index: u64, tree_size: u64, proof: &[Hash], root: &Hash) -> bool {
    if index >= tree_size {
        return false;
    }
    let (mut f_n, mut s_n) = (index, tree_size - 1);
    let mut r = *leaf;
    for p in proof {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            // Levels where the node is the last of its row and has no sibling are skipped.
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && r == *root
}

/// The proof that the tree of the first `old_size` leaves is a prefix of the tree of all
/// `leaves` (RFC 6962 §2.1.2 `PROOF`); empty when `old_size` is 0 or all the leaves, `None` if
/// `old_size` is larger than the tree.
pub fn consistency_proof(leaves: &[Hash], old_size: u64) -> Option<Vec<Hash>> {
    let m = usize::try_from(old_size).ok().filter(|&m| m <= leaves.len())?;
    let mut proof = Vec::new();
    if m > 0 {
        subproof(m, leaves, true, &mut proof);
    }
    Some(proof)
}

/// RFC 6962 `SUBPROOF(m, D[n], b)`, `b` telling whether the subtree of the first `m` leaves is
/// the old tree itself (whose root the verifier already has) or must be given.
fn subproof(m: usize, leaves: &[Hash], whole_old_tree: bool, proof: &mut Vec<Hash>) {
    let n = leaves.len();
    if m == n {
        if !whole_old_tree {
            proof.push(root(leaves));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(m, &leaves[..k], whole_old_tree, proof);
        proof.push(root(&leaves[k..]));
    } else {
        subproof(m - k, &leaves[k..], false, proof);
        proof.push(root(&leaves[..k]));
    }
}

/// Whether `proof` shows that the tree of `old_size` leaves with root `old_root` is a prefix of
/// the tree of `new_size` leaves with root `new_root` (RFC 9162 §2.1.4.2). Equal sizes need
/// equal roots and an empty proof; the empty tree (whose root must be [`EMPTY_ROOT`]) is a prefix
/// of every tree, with an empty proof.
pub fn verify_consistency(old_size: u64, new_size: u64, old_root: &Hash, new_root: &Hash, proof: &[Hash]) -> bool {
    if old_size > new_size {
        return false;
    }
    if old_size == new_size {
        return proof.is_empty() && old_root == new_root;
    }
    if old_size == 0 {
        return proof.is_empty() && *old_root == EMPTY_ROOT;
    }
    // 0 < old_size < new_size from here on.
    let Some((first, rest)) = proof.split_first() else {
        return false;
    };
    // When the old tree is complete (its size a power of two), its root is a node of the new
    // tree and the proof leaves it out: the walk starts from it.
    let (start, path) = if old_size.is_power_of_two() { (old_root, proof) } else { (first, rest) };
    let (mut f_n, mut s_n) = (old_size - 1, new_size - 1);
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let (mut f_r, mut s_r) = (*start, *start);
    for c in path {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            f_r = node_hash(c, &f_r);
            s_r = node_hash(c, &s_r);
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            s_r = node_hash(&s_r, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && f_r == *old_root && s_r == *new_root
}

/// The largest power of two strictly smaller than `n` (`n` ≥ 2): where RFC 6962 splits a tree.
fn split(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(hex: &str) -> Hash {
        hex::decode(hex).unwrap().try_into().unwrap()
    }

    fn hx(hash: &Hash) -> String {
        hex::encode(hash)
    }

    // The reference tree of Certificate Transparency: its eight leaf inputs, the root of the
    // tree of the first 1..8 of them, audit paths and consistency proofs. Taken from
    // google/certificate-transparency, cpp/merkletree/merkle_tree_test.cc (kInputs,
    // kSHA256Roots, kSHA256Paths, kSHA256Proofs; commit 0e901cacd1388fa16f78b184612f6cd16e5ceec1),
    // where leaf numbers are 1-based; the same leaves and roots are in transparency-dev/merkle,
    // testonly/constants.go (LeafInputs, RootHashes).
    const INPUTS: [&str; 8] =
        ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
    const ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    const EMPTY_TREE: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /// (leaf index, tree size, audit path)
    const PATHS: [(u64, u64, &[&str]); 5] = [
        (0, 1, &[]),
        (
            0,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (2, 3, &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (
            1,
            5,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];
    /// (old size, new size, consistency proof)
    const PROOFS: [(u64, u64, &[&str]); 4] = [
        (1, 1, &[]),
        (
            1,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            6,
            8,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            5,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];

    fn reference_leaves() -> Vec<Hash> {
        INPUTS.iter().map(|input| leaf_hash(&hex::decode(input).unwrap())).collect()
    }

    fn hashes(hexes: &[&str]) -> Vec<Hash> {
        hexes.iter().map(|x| h(x)).collect()
    }

    /// Distinct leaves for the property tests.
    fn leaves(n: usize) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(format!("reçu {i}").as_bytes())).collect()
    }

    #[test]
    fn empty_tree_and_hash_prefixes() {
        assert_eq!(hx(&EMPTY_ROOT), EMPTY_TREE);
        assert_eq!(hx(&root(&[])), EMPTY_TREE);
        let leaves = reference_leaves();
        // The leaf hash of the empty input is the root of the tree of size 1, and the root of
        // size 2 is the node over the first two leaves.
        assert_eq!(hx(&leaf_hash(b"")), ROOTS[0]);
        assert_eq!(hx(&node_hash(&leaves[0], &leaves[1])), ROOTS[1]);
    }

    #[test]
    fn reference_roots() {
        let leaves = reference_leaves();
        for n in 1..=8 {
            assert_eq!(hx(&root(&leaves[..n])), ROOTS[n - 1], "tree of size {n}");
        }
    }

    #[test]
    fn the_split_is_the_largest_power_of_two_below() {
        for (n, k) in [(2, 1), (3, 2), (4, 2), (5, 4), (8, 4), (9, 8), (1000, 512), (1 << 20, 1 << 19)] {
            assert_eq!(split(n), k, "n = {n}");
        }
    }

    #[test]
    fn reference_inclusion_proofs() {
        let leaves = reference_leaves();
        for (index, size, expected) in PATHS {
            let tree = &leaves[..size as usize];
            let proof = inclusion_proof(tree, index).unwrap();
            assert_eq!(proof, hashes(expected), "leaf {index} of {size}");
            let root = h(ROOTS[size as usize - 1]);
            assert!(verify_inclusion(&leaves[index as usize], index, size, &proof, &root));
        }
        assert_eq!(inclusion_proof(&leaves, 8), None);
        assert_eq!(inclusion_proof(&[], 0), None);
    }

    #[test]
    fn reference_consistency_proofs() {
        let leaves = reference_leaves();
        for (old, new, expected) in PROOFS {
            let proof = consistency_proof(&leaves[..new as usize], old).unwrap();
            assert_eq!(proof, hashes(expected), "{old} → {new}");
            let (old_root, new_root) = (h(ROOTS[old as usize - 1]), h(ROOTS[new as usize - 1]));
            assert!(verify_consistency(old, new, &old_root, &new_root, &proof), "{old} → {new}");
        }
        assert_eq!(consistency_proof(&leaves[..3], 4), None);
    }

    fn flipped(hash: &Hash, byte: usize) -> Hash {
        let mut wrong = *hash;
        wrong[byte] ^= 0x01;
        wrong
    }

    #[test]
    fn every_inclusion_proof_verifies_and_no_altered_one_does() {
        for n in 1..=64u64 {
            let tree = leaves(n as usize);
            let root = root(&tree);
            for index in 0..n {
                let leaf = tree[index as usize];
                let proof = inclusion_proof(&tree, index).unwrap();
                assert!(verify_inclusion(&leaf, index, n, &proof, &root), "leaf {index} of {n}");

                for other in (0..n + 2).filter(|&other| other != index) {
                    assert!(!verify_inclusion(&leaf, other, n, &proof, &root), "leaf {index} of {n} as {other}");
                }
                for byte in 0..32 {
                    assert!(!verify_inclusion(&flipped(&leaf, byte), index, n, &proof, &root));
                    assert!(!verify_inclusion(&leaf, index, n, &proof, &flipped(&root, byte)));
                    for at in 0..proof.len() {
                        let mut wrong = proof.clone();
                        wrong[at] = flipped(&wrong[at], byte);
                        assert!(!verify_inclusion(&leaf, index, n, &wrong, &root), "leaf {index} of {n}, {at}/{byte}");
                    }
                }
                // A proof with a hash too many or too few, and trees twice or half as large.
                let mut longer = proof.clone();
                longer.push(root);
                assert!(!verify_inclusion(&leaf, index, n, &longer, &root));
                if let Some((_, shorter)) = proof.split_last() {
                    assert!(!verify_inclusion(&leaf, index, n, shorter, &root));
                }
                assert!(!verify_inclusion(&leaf, index, n * 2, &proof, &root));
                assert!(!verify_inclusion(&leaf, index, n / 2, &proof, &root));
                // Another leaf's hash at this index.
                let other = tree[((index + 1) % n) as usize];
                if n > 1 {
                    assert!(!verify_inclusion(&other, index, n, &proof, &root));
                }
            }
        }
    }

    #[test]
    fn every_consistency_proof_verifies_and_no_altered_one_does() {
        let all = leaves(40);
        let roots: Vec<Hash> = (0..=40).map(|n| root(&all[..n])).collect();
        for new in 0..=40u64 {
            let tree = &all[..new as usize];
            for old in 0..=new {
                let (old_root, new_root) = (roots[old as usize], roots[new as usize]);
                let proof = consistency_proof(tree, old).unwrap();
                assert!(verify_consistency(old, new, &old_root, &new_root, &proof), "{old} → {new}");
                if old == 0 || old == new {
                    assert!(proof.is_empty());
                    continue;
                }
                // 0 < old < new: every altered input fails.
                assert!(!verify_consistency(old, new, &new_root, &old_root, &proof), "swapped roots");
                assert!(!verify_consistency(new, old, &old_root, &new_root, &proof), "shrinking");
                assert!(!verify_consistency(old, new, &old_root, &new_root, &[]), "empty proof");
                for byte in 0..32 {
                    assert!(!verify_consistency(old, new, &flipped(&old_root, byte), &new_root, &proof));
                    assert!(!verify_consistency(old, new, &old_root, &flipped(&new_root, byte), &proof));
                    for at in 0..proof.len() {
                        let mut wrong = proof.clone();
                        wrong[at] = flipped(&wrong[at], byte);
                        assert!(!verify_consistency(old, new, &old_root, &new_root, &wrong), "{old} → {new}, {at}");
                    }
                }
                let mut longer = proof.clone();
                longer.push(new_root);
                assert!(!verify_consistency(old, new, &old_root, &new_root, &longer));
                assert!(!verify_consistency(old, new, &old_root, &new_root, &proof[..proof.len() - 1]));
                // Nor does it fit other sizes with these roots (the sizes CT's own tests try; a
                // size one larger can share the proof's shape, so the sizes come signed with the
                // roots in the tree heads).
                for (o, n) in [(old - 1, new), (old + 1, new), (old ^ 2, new), (old, new * 2), (old, new / 2)] {
                    if (o, n) != (old, new) && o <= n {
                        assert!(!verify_consistency(o, n, &old_root, &new_root, &proof), "{old} → {new} as {o} → {n}");
                    }
                }
            }
        }
    }

    #[test]
    fn trivial_consistency() {
        let tree = leaves(5);
        let r = root(&tree);
        // The empty tree is a prefix of every tree, with an empty proof and the empty root.
        assert!(verify_consistency(0, 5, &EMPTY_ROOT, &r, &[]));
        assert!(!verify_consistency(0, 5, &r, &r, &[]));
        assert!(!verify_consistency(0, 5, &EMPTY_ROOT, &r, &[r]));
        // Equal sizes: equal roots, empty proof.
        assert!(verify_consistency(5, 5, &r, &r, &[]));
        assert!(!verify_consistency(5, 5, &r, &EMPTY_ROOT, &[]));
        assert!(!verify_consistency(5, 5, &r, &r, &[r]));
        assert!(verify_consistency(0, 0, &EMPTY_ROOT, &EMPTY_ROOT, &[]));
        assert!(!verify_consistency(6, 5, &r, &r, &[]));
        assert_eq!(consistency_proof(&tree, 0), Some(vec![]));
        assert_eq!(consistency_proof(&tree, 5), Some(vec![]));
        assert_eq!(consistency_proof(&tree, 6), None);
    }

    #[test]
    fn no_inclusion_in_an_empty_tree_nor_past_the_end() {
        let r = root(&[]);
        assert!(!verify_inclusion(&leaf_hash(b""), 0, 0, &[], &r));
        let one = leaves(1);
        assert!(verify_inclusion(&one[0], 0, 1, &[], &one[0]));
        assert!(!verify_inclusion(&one[0], 1, 1, &[], &one[0]));
        assert!(!verify_inclusion(&one[0], u64::MAX, u64::MAX, &[], &one[0]));
    }
}
