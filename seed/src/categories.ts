// The two-level category tree (department → leaf) derived from the assortment, with stable ids.
import type { Department, Leaf } from './assortment';
import type { SeedCategory } from './model';

export function departmentId(department: Department): string {
  return `cat-${department.slug}`;
}

export function leafId(department: Department, leaf: Leaf): string {
  return `cat-${department.slug}-${leaf.slug}`;
}

/** Parents come before their children, so rows can be inserted in this order. */
export function categoryTree(departments: readonly Department[]): SeedCategory[] {
  const parents = departments.map((d) => ({ id: departmentId(d), nameEn: d.en, nameVi: d.vi, parentId: null }));
  const leaves = departments.flatMap((d) =>
    d.leaves.map((leaf) => ({ id: leafId(d, leaf), nameEn: leaf.en, nameVi: leaf.vi, parentId: departmentId(d) })),
  );
  return [...parents, ...leaves];
}
